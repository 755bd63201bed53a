package io.facestream.pipeline.access;

import io.facestream.pipeline.topics.Topics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Least privilege on Kafka: for each {@link ServicePrincipal}, exactly the topics, groups and transactional ids
 * its code uses (README, "Security"). Nobody else writes {@code gallery} or {@code identities} than the
 * matcher (enrollment) and the retrainer (re-embedding the gallery, which writes {@code gallery} only), and
 * nobody but the retrainer writes {@code models}; a camera can write frames and nothing else.
 *
 * <p>Reading a topic grants READ (which implies DESCRIBE: metadata and offsets); writing grants WRITE (which
 * implies DESCRIBE). Nobody gets IDEMPOTENT_WRITE on the cluster: since Kafka 2.8 (KIP-679) WRITE on a topic
 * suffices for an idempotent producer. Consumer groups are literal names; transactional ids are prefixes,
 * because each instance appends its instance id ({@code detector-<instance>}) and Kafka Streams its process
 * and thread. Adding a topic to a service is one line here. Pure; no I/O.
 */
public final class AccessPolicy {

    /** The matcher's default Kafka Streams application id ({@code facestream.matcher.application-id}). */
    public static final String MATCHER_APPLICATION_ID = "facestream-matcher";

    // The stages' group ids are their stage names (StageConfig.groupId), transactional ids "<stage>-<instance>".
    private static final String DETECTOR_STAGE = "detector";
    private static final String EMBEDDER_STAGE = "embedder";
    /** {@code FeedbackProcessor.STAGE} of libs/retraining, which depends on this module (DeploymentFilesTest checks). */
    private static final String RETRAINER_STAGE = "retrainer";

    private final Map<ServicePrincipal, Access> access = new EnumMap<>(ServicePrincipal.class);

    /**
     * @param topics the topic registry
     * @param matcherApplicationId the matcher's Kafka Streams application id: its consumer group, the prefix of
     *                             its internal topics and of its transactional ids
     */
    public AccessPolicy(Topics topics, String matcherApplicationId) {
        if (matcherApplicationId == null || matcherApplicationId.isBlank()) {
            throw new IllegalArgumentException("the matcher's application id is required");
        }
        String frames = topics.frames().name();
        String faces = topics.faces().name();
        String frameResults = topics.frameResults().name();
        String embeddings = topics.embeddings().name();
        String matches = topics.matches().name();
        String sightings = topics.sightings().name();
        String gallery = topics.gallery().name();
        String identities = topics.identities().name();
        String feedback = topics.feedback().name();
        String models = topics.models().name();
        String clusters = topics.clusters().name();
        String cameras = topics.cameras().name();
        String faceErasures = topics.faceErasures().name();

        put(new Access(ServicePrincipal.CAMERA, Set.of(), Set.of(frames), Set.of(), Set.of(), Set.of()));
        put(new Access(ServicePrincipal.INGEST, Set.of(), Set.of(frames), Set.of(), Set.of(), Set.of()));
        put(new Access(ServicePrincipal.DETECTOR, Set.of(frames),
                Set.of(faces, frameResults, topics.frames().deadLetterTopic()),
                Set.of(DETECTOR_STAGE), Set.of(DETECTOR_STAGE + "-"), Set.of()));
        // models.dlq: the embedder and the matcher's enrollment dead-letter model records they refuse, and read
        // their earlier letters back so that a replayed record is refused once (ModelDeadLetters)
        String modelLetters = topics.models().deadLetterTopic();
        put(new Access(ServicePrincipal.EMBEDDER, Set.of(faces, models, modelLetters),
                Set.of(embeddings, topics.faces().deadLetterTopic(), modelLetters),
                Set.of(EMBEDDER_STAGE), Set.of(EMBEDDER_STAGE + "-"), Set.of()));
        // matches and sightings: the matches and sightings APIs follow them (RecentMatches, RecentSightings);
        // clusters: the unknown-face clustering restores from and publishes to it (UnknownClusterFollower);
        // cameras: every instance follows the operators' camera settings (CameraSettingsFollower);
        // face-erasures: the history and the clustering mark the faces an erasure removed and leave marked faces
        // out (FaceErasures)
        put(new Access(ServicePrincipal.MATCHER, Set.of(embeddings, gallery, identities, models, matches, sightings,
                modelLetters, clusters, cameras, faceErasures),
                // enrollment writes gallery and identities; the topology matches, sightings and dead letters
                Set.of(matches, sightings, topics.embeddings().deadLetterTopic(), gallery, identities, modelLetters,
                        clusters, faceErasures),
                Set.of(matcherApplicationId), Set.of(matcherApplicationId), Set.of(matcherApplicationId)));
        // frames: a sighting's snapshot is its best frame, read back from the topic (FrameIndex); sightings: the
        // review queue and labelling a sighting; cameras: the camera API writes the settings and shows them
        put(new Access(ServicePrincipal.DASHBOARD, Set.of(embeddings, frameResults, matches, frames, sightings,
                cameras), Set.of(feedback, cameras), Set.of(), Set.of(), Set.of()));
        put(new Access(ServicePrincipal.RETRAINER, Set.of(feedback, faces, models, gallery, identities),
                Set.of(models, gallery, topics.feedback().deadLetterTopic()),
                Set.of(RETRAINER_STAGE), Set.of(RETRAINER_STAGE + "-"), Set.of()));
    }

    /** The access of the default matcher application id. */
    public AccessPolicy(Topics topics) {
        this(topics, MATCHER_APPLICATION_ID);
    }

    private void put(Access a) {
        access.put(a.principal(), a);
    }

    public Access of(ServicePrincipal principal) {
        return access.get(principal);
    }

    /** Every principal's access, in {@link ServicePrincipal} order. */
    public List<Access> all() {
        return List.copyOf(access.values());
    }

    /** The ACL principals this policy manages ({@code User:facestream-…}). */
    public Set<String> principals() {
        return access.keySet().stream().map(ServicePrincipal::principal).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The ACLs of every principal. */
    public List<AclBinding> bindings() {
        List<AclBinding> all = new ArrayList<>();
        access.keySet().forEach(p -> all.addAll(bindings(p)));
        return all;
    }

    /** The ACLs of one principal: nothing beyond its {@link Access}. */
    public List<AclBinding> bindings(ServicePrincipal principal) {
        Access a = access.get(principal);
        String who = principal.principal();
        List<AclBinding> acls = new ArrayList<>();
        a.reads().forEach(t -> acls.add(allow(who, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ)));
        a.writes().forEach(t -> acls.add(allow(who, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE)));
        a.groups().forEach(g -> acls.add(allow(who, ResourceType.GROUP, g, PatternType.LITERAL, AclOperation.READ)));
        for (String prefix : a.transactionalIdPrefixes()) {
            acls.add(allow(who, ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, AclOperation.WRITE));
        }
        for (String prefix : a.ownedTopicPrefixes()) {
            // Kafka Streams creates, reads, writes, checks and (on reset) deletes its repartition and changelog topics
            for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS)) {
                acls.add(allow(who, ResourceType.TOPIC, prefix, PatternType.PREFIXED, op));
            }
        }
        return acls;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
