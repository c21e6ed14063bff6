package dev.bridgework.realtime;

import dev.bridgework.realtime.ClientFrames.Focus;
import dev.bridgework.realtime.ClientFrames.Invalid;
import dev.bridgework.realtime.ClientFrames.Ping;
import dev.bridgework.realtime.ClientFrames.Resume;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Reading what clients send: the three frames of the contract, and one clear error for anything else. */
class ClientFramesTest {
  @Test
  void theContractsFramesAreRead() {
    assertEquals(new Ping(), ClientFrames.parse("{\"type\":\"ping\"}"));
    assertEquals(new Resume(0, 17), ClientFrames.parse("{\"type\":\"resume\",\"self\":0,\"couple\":17}"));
    assertEquals(new Resume(5_000_000_000L, 1), ClientFrames.parse("{\"type\":\"resume\",\"self\":5000000000,\"couple\":1}"));
    assertEquals(new Focus("r1", "s1"), ClientFrames.parse("{\"type\":\"focus\",\"reviewId\":\"r1\",\"shareId\":\"s1\"}"));
    assertEquals(new Focus("r1", null), ClientFrames.parse("{\"type\":\"focus\",\"reviewId\":\"r1\",\"shareId\":null}"));
    assertEquals(new Focus("r1", null), ClientFrames.parse("{\"type\":\"focus\",\"reviewId\":\"r1\"}"));
  }

  @Test
  void anythingElseIsOneErrorThatNeverEchoesTheInput() {
    String longId = "x".repeat(65);
    for (String bad : List.of("not json", "[1,2]", "\"ping\"", "{}", "{\"type\":42}", "{\"type\":null}",
        "{\"type\":\"ping\",\"extra\":1}", "{\"type\":\"resume\",\"self\":-1,\"couple\":0}",
        "{\"type\":\"resume\",\"self\":0}", "{\"type\":\"resume\",\"self\":1.5,\"couple\":0}",
        "{\"type\":\"resume\",\"self\":\"3\",\"couple\":0}", "{\"type\":\"resume\",\"self\":0,\"couple\":99999999999999999999}",
        "{\"type\":\"focus\",\"reviewId\":\"" + longId + "\"}", "{\"type\":\"focus\",\"reviewId\":\"\"}",
        "{\"type\":\"focus\",\"reviewId\":7}", "{\"type\":\"focus\",\"reviewId\":\"r\",\"shareId\":\"" + longId + "\"}",
        "{\"type\":\"focus\",\"reviewId\":\"r\",\"shareId\":[]}", "{\"type\":\"ping\",\"" + longId + "\":1}")) {
      Invalid invalid = assertInstanceOf(Invalid.class, ClientFrames.parse(bad), bad);
      assertEquals("invalid_frame", invalid.code(), bad);
      assertFalse(invalid.message().contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "never echoes input: " + bad);
    }
    Invalid unknown = assertInstanceOf(Invalid.class, ClientFrames.parse("{\"type\":\"dance\"}"));
    assertEquals("unknown_type", unknown.code());
  }
}
