package dev.bridgework.ops;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * One line when the cluster forms and one each time a member joins or leaves (Hazelcast's own INFO
 * logging, many lines a change, is turned down to WARN in logback.xml). Members are named by their
 * cluster address only.
 */
public final class ClusterLog implements MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.bridgework.cluster");

  private ClusterLog() {}

  public static void follow(HazelcastInstance hazelcast) {
    hazelcast.getCluster().addMembershipListener(new ClusterLog());
    LOG.info("Cluster formed: {} member(s): {}", hazelcast.getCluster().getMembers().size(),
        addresses(hazelcast.getCluster().getMembers()));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("Cluster: {} joined; {} member(s) now", address(event.getMember()), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.warn("Cluster: {} left; {} member(s) now", address(event.getMember()), event.getMembers().size());
  }

  private static String address(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  private static String addresses(java.util.Set<Member> members) {
    return members.stream().map(ClusterLog::address).collect(Collectors.joining(", "));
  }
}
