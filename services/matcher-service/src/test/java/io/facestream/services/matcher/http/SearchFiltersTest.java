package io.facestream.services.matcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.services.matcher.config.SearchConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query-string filters of {@code POST /api/v1/search}: defaults, accepted forms, and a reason for each refusal. */
class SearchFiltersTest {

    private static final SearchConfig CONFIG = new SearchConfig(".cache/history", Duration.ofDays(7), Duration.ofDays(1),
            16, 0.5, 0.5, 50, 500, Duration.ofSeconds(10));
    // The filters use only the configuration.
    private final SearchController controller = new SearchController(null, null, CONFIG, null);

    @Test
    void absentFiltersTakeTheDefaults() {
        SearchController.Filters f = controller.filters(null, null, null, null, null);
        assertEquals(new SearchController.Filters(Optional.empty(), 0, Long.MAX_VALUE, 0.5, 50), f);
    }

    @Test
    void givenFiltersAreParsed() {
        SearchController.Filters f = controller.filters(" cam-1 ", "2026-12-01T00:00:00Z", "1796169600000", "-0.25",
                "500");
        assertEquals(Optional.of("cam-1"), f.camera());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(), f.from());
        assertEquals(1796169600000L, f.to());
        assertEquals(-0.25, f.minScore());
        assertEquals(500, f.limit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a b||||| camera",
            "|yesterday|||| from",
            "||2026-13-01T00:00:00Z||| to",
            "|2026-12-02T00:00:00Z|2026-12-01T00:00:00Z||| after",
            "|||1.5|| minScore",
            "|||NaN|| minScore",
            "|||x|| minScore",
            "||||0| limit",
            "||||501| limit",
            "||||ten| limit",
    })
    void aBadFilterIsRefusedWithItsName(String camera, String from, String to, String minScore, String limit,
            String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> controller.filters(camera, from, to, minScore, limit));
        assertTrue(e.getMessage().contains(named.strip()), e.getMessage());
    }

    @Test
    void theEraseThresholdMayNotExceedTheSearchDefault() {
        assertThrows(IllegalArgumentException.class, () -> new SearchConfig(".cache/history", Duration.ofDays(7),
                Duration.ofDays(1), 16, 0.5, 0.6, 50, 500, Duration.ofSeconds(10)));
    }
}
