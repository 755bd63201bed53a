package io.facestream.services.dashboard.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityGate;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The feedback rules on their own: what confirm, relabel, "not this person" and a new identity write (feedback
 * records, identities, gallery samples), and that a repeated decision writes nothing. The gallery and the
 * feedback topic are recording stand-ins.
 */
class LabellerTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    /** Records what it was asked; fails the next call when told to (the matcher down). */
    static final class RecordingGallery implements Gallery {
        final List<String> identities = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
        boolean failNext;

        @Override
        public boolean identityExists(String identityId) {
            return identities.contains(identityId) || identityId.startsWith("known-");
        }

        @Override
        public String createIdentity(String name, String operator) {
            fail();
            String id = "new-" + identities.size();
            identities.add(id);
            return id;
        }

        @Override
        public void addSample(String identityId, FaceEmbedding face, String operator) {
            fail();
            samples.add(identityId + "/" + face.getFaceId() + " by " + operator);
        }

        private void fail() {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("matcher down");
            }
        }
    }

    private final RecordingGallery gallery = new RecordingGallery();
    private final List<Feedback> written = new ArrayList<>();
    private final Labeller labeller = new Labeller(gallery, written::add, Clock.fixed(NOW, ZoneOffset.UTC),
            QualityGate.OPEN, 100);

    private static FaceEmbedding face(String id) {
        return FaceEmbedding.newBuilder().setFaceId(id).setFrameId("frame-" + id).setCameraId("door")
                .setCapturedAt(NOW).setVector(List.of(1f, 0f, 0f)).setModelVersion("m1").build();
    }

    @Test
    void confirmWritesOneFeedbackAndASampleOnlyWhenAsked() {
        Labeller.Outcome<Recorded> first = labeller.labelFace(face("f1"), Label.of("CONFIRM", "known-ann", null, false),
                "op");
        assertTrue(first.wrote());
        assertEquals(1, written.size());
        Feedback f = written.get(0);
        assertEquals(Verdict.CONFIRM, f.getVerdict());
        assertEquals("known-ann", f.getIdentityId());
        assertEquals("f1", f.getFaceId());
        assertEquals("op", f.getOperator());
        assertEquals(NOW, f.getAt());
        assertEquals(List.of(), gallery.samples, "no gallery wish, no sample");

        labeller.labelFace(face("f2"), Label.of("RELABEL", "known-bob", null, true), "op");
        assertEquals(List.of("known-bob/f2 by op"), gallery.samples);
    }

    @Test
    void notThisPersonNeverJoinsTheGallery() {
        labeller.labelFace(face("f1"), Label.of("NOT_THIS_PERSON", "known-ann", null, true), "op");
        assertEquals(Verdict.NOT_THIS_PERSON, written.get(0).getVerdict());
        assertEquals("known-ann", written.get(0).getIdentityId(), "whom the face is not: a hard negative");
        assertEquals(List.of(), gallery.samples);
    }

    @Test
    void aRepeatedDecisionAnswersTheFirstAndWritesNothing() {
        Label confirm = Label.of("CONFIRM", "known-ann", null, true);
        Labeller.Outcome<Recorded> first = labeller.labelFace(face("f1"), confirm, "op");
        Labeller.Outcome<Recorded> again = labeller.labelFace(face("f1"), Label.of("CONFIRM", "known-ann", null, false),
                "other");
        assertFalse(again.wrote());
        assertEquals(first.recorded(), again.recorded());
        assertEquals(1, written.size());
        assertEquals(1, gallery.samples.size());
        assertTrue(labeller.faceLabelled("f1"));
        assertFalse(labeller.faceLabelled("f2"));
        // a different decision about the same face is written
        assertTrue(labeller.labelFace(face("f1"), Label.of("RELABEL", "known-bob", null, false), "op").wrote());
        assertEquals(2, written.size());
    }

    @Test
    void aNewIdentityIsCreatedOnceAndGetsTheFace() {
        Labeller.Outcome<Recorded> made = labeller.labelFace(face("f1"), Label.of("NEW_IDENTITY", null, "Ann", false),
                "op");
        assertEquals(List.of("new-0"), gallery.identities);
        assertEquals("new-0", made.recorded().identityId());
        assertEquals(List.of("new-0/f1 by op"), gallery.samples, "a new identity always gets its face");
        assertFalse(labeller.labelFace(face("f1"), Label.of("NEW_IDENTITY", null, "Ann", false), "op").wrote());
        assertEquals(1, gallery.identities.size(), "the repeat creates no second person");
    }

    @Test
    void aSightingIsLabelledOncePerFaceWithOneSampleAndOneNewIdentity() {
        List<FaceEmbedding> faces = List.of(face("s1"), face("s2"), face("s3"));
        Labeller.Outcome<SightingRecorded> out = labeller.labelSighting("sight", faces, "s2", 1,
                Label.of("NEW_IDENTITY", null, "Cy", false), "op");
        assertTrue(out.wrote());
        assertEquals(3, written.size());
        assertEquals(List.of("new-0"), gallery.identities);
        assertEquals(List.of("new-0/s2 by op"), gallery.samples, "the best face only");
        assertEquals(1, out.recorded().facesNotKept());
        assertTrue(labeller.sightingLabelled("sight"));
        Labeller.Outcome<SightingRecorded> again = labeller.labelSighting("sight", faces, "s2", 1,
                Label.of("NEW_IDENTITY", null, "Cy", false), "op");
        assertFalse(again.wrote());
        assertEquals(out.recorded(), again.recorded());
        assertEquals(3, written.size());
    }

    @Test
    void aFailureAtTheMatcherRecordsNothingSoTheRetryWrites() {
        gallery.failNext = true;
        Label confirm = Label.of("CONFIRM", "known-ann", null, true);
        assertThrows(IllegalStateException.class, () -> labeller.labelFace(face("f1"), confirm, "op"));
        assertFalse(labeller.faceLabelled("f1"));
        assertTrue(labeller.labelFace(face("f1"), confirm, "op").wrote());
        assertEquals(List.of("known-ann/f1 by op"), gallery.samples);
    }
}
