package io.facestream.services.dashboard.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeedbackLedgerTest {

    @Test
    void rememberedDecisionsAnswerAgainAndMarkTheirSubjectsLabelled() {
        FeedbackLedger ledger = new FeedbackLedger(10);
        Recorded r = new Recorded("fb-1", "p");
        ledger.recordFace("f|RELABEL|p|null", "f", r);
        assertEquals(Optional.of(r), ledger.face("f|RELABEL|p|null"));
        assertEquals(Optional.empty(), ledger.face("f|CONFIRM|p|null"));
        assertTrue(ledger.faceLabelled("f"));
        assertFalse(ledger.faceLabelled("g"));

        SightingRecorded s = new SightingRecorded("s", "p", List.of(new SightingRecorded.FaceFeedback("f", "fb-1")), 0);
        ledger.recordSighting("sighting:s|RELABEL|p|null", "s", s);
        assertEquals(Optional.of(s), ledger.sighting("sighting:s|RELABEL|p|null"));
        assertTrue(ledger.sightingLabelled("s"));
        assertFalse(ledger.sightingLabelled("f"), "faces and sightings are apart");
    }

    @Test
    void theEldestDecisionsAreForgottenBeyondCapacity() {
        FeedbackLedger ledger = new FeedbackLedger(2);
        for (String face : List.of("a", "b", "c")) {
            ledger.recordFace(face + "|CONFIRM|p|null", face, new Recorded("fb-" + face, "p"));
        }
        assertEquals(Optional.empty(), ledger.face("a|CONFIRM|p|null"));
        assertFalse(ledger.faceLabelled("a"));
        assertTrue(ledger.faceLabelled("b") && ledger.faceLabelled("c"));
    }
}
