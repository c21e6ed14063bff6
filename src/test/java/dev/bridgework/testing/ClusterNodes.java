package dev.bridgework.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The settings of one node of a test cluster on this machine: all nodes share one database and one master key. */
public final class ClusterNodes {
  private ClusterNodes() {
  }

  /** A fresh master key for a cluster: every node needs the same one (data keys are wrapped with it). */
  public static String masterKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** The node's settings: its own data directory and cluster port, the shared database, the members list. */
  public static Map<String, String> settings(int clusterPort, String members, String masterKey, String mongoUri) throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("data.dir", Files.createTempDirectory("bw-node").toString());
    settings.put("crypto.masterKey", masterKey);
    settings.put("crypto.minKdfIterations", String.valueOf(TestServer.TEST_MIN_KDF_ITERATIONS));
    settings.put("http.port", "0");
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "1");
    settings.put("mongo.uri", mongoUri);
    settings.put("cluster.enabled", "true");
    settings.put("cluster.host", "127.0.0.1");
    settings.put("cluster.port", String.valueOf(clusterPort));
    settings.put("cluster.members", members);
    return settings;
  }
}
