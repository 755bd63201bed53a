package io.facestream.pipeline.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.topics.Topics;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final Topics TOPICS = new Topics(4);
    private final AccessPolicy policy = new AccessPolicy(TOPICS);

    private Set<ServicePrincipal> writersOf(String topic) {
        return policy.all().stream().filter(a -> a.writes().contains(topic)).map(Access::principal)
                .collect(Collectors.toSet());
    }

    @Test
    void theWatchListAndTheModelsHaveFewWriters() {
        assertEquals(Set.of(ServicePrincipal.MATCHER), writersOf("identities"));
        assertEquals(Set.of(ServicePrincipal.MATCHER, ServicePrincipal.RETRAINER), writersOf("gallery"));
        assertEquals(Set.of(ServicePrincipal.RETRAINER), writersOf("models"));
        assertEquals(Set.of(ServicePrincipal.MATCHER), writersOf("face-erasures"), "only erasure marks faces");
        assertEquals(Set.of(ServicePrincipal.MATCHER), policy.all().stream()
                .filter(a -> a.reads().contains("face-erasures")).map(Access::principal).collect(Collectors.toSet()));
        assertEquals(Set.of(ServicePrincipal.CAMERA, ServicePrincipal.INGEST), writersOf("frames"));
        assertEquals(Set.of("frames"), policy.of(ServicePrincipal.CAMERA).topics());
        assertEquals(Set.of("frames"), policy.of(ServicePrincipal.INGEST).topics());
    }

    @Test
    void everyTopicHasAWriterAndEveryNamedTopicExists() {
        Set<String> declared = TOPICS.specs().stream().map(TopicSpec::name).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        policy.all().forEach(a -> named.addAll(a.topics()));
        assertEquals(declared, named, "a topic in Topics.specs() that no principal uses, or the reverse");
        for (String topic : declared) {
            assertTrue(!writersOf(topic).isEmpty(), topic + " has no writer");
        }
    }

    @Test
    void onlyTheStreamsApplicationOwnsTopicsAndOnlyByItsPrefix() {
        var owned = policy.bindings().stream()
                .filter(b -> b.entry().operation() == AclOperation.CREATE).toList();
        assertEquals(1, owned.size());
        assertEquals(ServicePrincipal.MATCHER.principal(), owned.get(0).entry().principal());
        assertEquals(PatternType.PREFIXED, owned.get(0).pattern().patternType());
        assertEquals(AccessPolicy.MATCHER_APPLICATION_ID, owned.get(0).pattern().name());
        assertTrue(policy.bindings().stream().noneMatch(b -> b.entry().operation() == AclOperation.ALL
                || b.entry().operation() == AclOperation.IDEMPOTENT_WRITE || "*".equals(b.pattern().name())));
    }
}
