package io.facestream.services.matcher.search;

import static io.facestream.services.matcher.MatcherBroker.near;
import static io.facestream.services.matcher.MatcherBroker.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.search.history.HistoryHit;
import io.facestream.search.history.HistoryQuery;
import io.facestream.search.history.QueryVector;
import io.facestream.services.matcher.MatcherBroker;
import io.facestream.services.matcher.config.SearchConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README "Search", erasure: after a person is erased and compaction has taken their samples and tombstone from
 * {@code gallery} and {@code identities}, a history rebuilt from the topics into an empty directory returns none
 * of their faces — neither those matched KNOWN to them nor those only like their sample (never matched) nor those
 * tracked with them — while everyone else's faces are rebuilt. On the in-process broker, under the matcher's own
 * login and ACLs.
 */
class HistoryRebuiltAfterErasureTest {

    private static MatcherBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        broker = new MatcherBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aHistoryRebuiltFromTheTopicsLeavesOutTheFacesOfAPersonErasedBefore() throws Exception {
        Random random = new Random(11);
        float[] person = unit(random);
        float[] stranger = unit(random);
        Instant at = Instant.now().minus(Duration.ofHours(2));
        broker.identity("p1");
        broker.sample("p1", "s1", person);
        // matched KNOWN to them
        broker.embedding("known", at, near(person, 0.7, random));
        broker.match("known", "track-1", at, "p1");
        // tracked with that face, unlike the sample, UNKNOWN on its own
        broker.embedding("mate", at.plusSeconds(1), near(person, 0.2, random));
        broker.match("mate", "track-1", at.plusSeconds(1), null);
        // seen before enrollment: never matched to them, only like their sample
        broker.embedding("like", at.plusSeconds(60), near(person, 0.8, random));
        broker.match("like", "track-2", at.plusSeconds(60), null);
        broker.embedding("stranger-1", at, near(stranger, 0.9, random));
        broker.match("stranger-1", "track-3", at, null);
        broker.embedding("stranger-2", at.plusSeconds(5), near(stranger, 0.9, random));
        broker.match("stranger-2", "track-4", at.plusSeconds(5), null);
        Set<String> everyone = Set.of("known", "mate", "like", "stranger-1", "stranger-2");
        Set<String> strangers = Set.of("stranger-1", "stranger-2");

        try (FaceErasures erasures = broker.erasures()) {
            HistoryFeed first = feed(dir.resolve("first"), erasures);
            try {
                assertEquals(everyone, hits(first, person));
                broker.erase("p1", List.of("s1")); // DELETE /api/v1/identities/p1
                first.sync();
                assertEquals(strangers, hits(first, person), "erased from the live history");
            } finally {
                first.close();
            }
        }

        // Compaction (README "Data at rest": within 1 day + 2 h) takes the person's samples and tombstone away:
        // nothing of them is left on gallery and identities, their faces still are on embeddings and matches.
        try (Admin admin = broker.admin()) {
            Set<String> gone = Set.of(MatcherBroker.TOPICS.gallery().name(), MatcherBroker.TOPICS.identities().name());
            admin.deleteTopics(gone).all().get();
            List<TopicSpec> specs = MatcherBroker.TOPICS.specs().stream().filter(s -> gone.contains(s.name())).toList();
            long deadline = System.nanoTime() + MatcherBroker.TIMEOUT.toNanos();
            while (true) { // a deleted topic's name is free again only once the deletion is done
                try {
                    TopicCreator.createAll(admin, specs, MatcherBroker.TIMEOUT);
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }

        // A new history in an empty directory (the old one deleted), fed from the topics from their beginning.
        try (FaceErasures erasures = broker.erasures()) {
            HistoryFeed rebuilt = feed(dir.resolve("rebuilt"), erasures);
            try {
                assertEquals(strangers, hits(rebuilt, person), "no face of the erased person comes back");
                assertEquals(strangers.size(), rebuilt.size());
            } finally {
                rebuilt.close();
            }
        }
    }

    private static HistoryFeed feed(Path dir, FaceErasures erasures) throws Exception {
        SearchConfig config = new SearchConfig(dir.toString(), Duration.ofDays(7), Duration.ofDays(1), 16, 0.5, 0.5,
                50, 500, Duration.ofSeconds(10));
        return new HistoryFeed(broker.pipeline(), config, MatcherBroker.TOPICS, erasures, Clock.systemUTC());
    }

    /** Every face in the history (minimum score −1), after the feed caught up with the topics. */
    private static Set<String> hits(HistoryFeed feed, float[] query) {
        HistoryQuery q = new HistoryQuery(List.of(new QueryVector(MatcherBroker.MODEL, query)), Optional.empty(), 0,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli(), -1, 100);
        return feed.search(q).hits().stream().map(HistoryHit::faceId).collect(Collectors.toSet());
    }
}
