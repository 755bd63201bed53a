package io.facestream.search.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolledSamplesTest {

    @TempDir
    Path dir;
    private final HistoryIndexTest.MutableClock clock = new HistoryIndexTest.MutableClock(1_000_000);
    private final Vectors vectors = new Vectors(7);

    @Test
    void aRetiredSampleLeavesSearchesButStaysForErasureUntilPurged() throws IOException {
        float[] a = vectors.unit();
        float[] b = vectors.unit();
        try (EnrolledSamples samples = new EnrolledSamples(dir, clock)) {
            samples.put("p/1", "p", new QueryVector("v1", a));
            samples.put("p/2", "p", new QueryVector("v1", b));
            samples.put("q/1", "q", new QueryVector("v1", b));
            samples.retire("p/2");
            List<QueryVector> live = samples.of("p", false);
            assertEquals(1, live.size());
            assertArrayEquals(a, live.get(0).vector());
            assertEquals("v1", live.get(0).modelVersion());
            assertEquals(2, samples.of("p", true).size());

            clock.set(1_000_000 + 60_000);
            samples.purgeRetired(30_000);
            assertEquals(1, samples.of("p", true).size());

            samples.removeIdentity("p");
            assertEquals(0, samples.of("p", true).size());
            assertEquals(1, samples.of("q", false).size());
        }
    }

    @Test
    void samplesSurviveAReopen() throws IOException {
        float[] a = vectors.unit();
        try (EnrolledSamples samples = new EnrolledSamples(dir, clock)) {
            samples.put("p/1", "p", new QueryVector("v1", a));
            samples.commit();
        }
        try (EnrolledSamples samples = new EnrolledSamples(dir, clock)) {
            assertArrayEquals(a, samples.of("p", false).get(0).vector());
        }
    }
}
