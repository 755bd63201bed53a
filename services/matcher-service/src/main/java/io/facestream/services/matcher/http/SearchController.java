package io.facestream.services.matcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.schema.GallerySample;
import io.facestream.search.history.HistoryHit;
import io.facestream.search.history.HistoryQuery;
import io.facestream.search.history.HistoryResult;
import io.facestream.search.history.ModelWindow;
import io.facestream.search.history.QueryVector;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.matcher.config.SearchConfig;
import io.facestream.services.matcher.enroll.ActiveEnroller;
import io.facestream.services.matcher.search.HistoryFeed;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Search over history: where and when a person was seen within the retention window, by photo (its largest face,
 * embedded like an enrollment photo) or by enrolled person (their gallery samples as queries), best first.
 * Read by viewers and operators, like the other read APIs.
 */
@Controller("/api/v1/search")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class SearchController {

    /** A JSON query is a few bytes; anything longer is not one. */
    static final int MAX_JSON_BYTES = 4096;

    private final HistoryFeed history;
    private final ActiveEnroller enroller;
    private final SearchConfig config;
    private final JsonMapper json;

    public SearchController(HistoryFeed history, ActiveEnroller enroller, SearchConfig config, JsonMapper json) {
        this.history = history;
        this.enroller = enroller;
        this.config = config;
        this.json = json;
    }

    @Serdeable
    public record ByIdentity(@Nullable String identityId) {
    }

    /**
     * @param windows the capture-time window each model version covers: a query of one version finds faces only
     *     in that version's window
     * @param queryModels the model versions of the query vectors
     */
    @Serdeable
    public record SearchPage(@JsonInclude(JsonInclude.Include.ALWAYS) List<Hit> items,
            @JsonInclude(JsonInclude.Include.ALWAYS) List<Window> windows,
            @JsonInclude(JsonInclude.Include.ALWAYS) List<String> queryModels) {
    }

    @Serdeable
    public record Hit(String faceId, String frameId, String cameraId, String capturedAt, double score,
            String modelVersion, @Nullable String sightingId, String cropUrl, String frameUrl) {

        static Hit of(HistoryHit h) {
            return new Hit(h.faceId(), h.frameId(), h.cameraId(), Instant.ofEpochMilli(h.capturedAt()).toString(),
                    h.score(), h.modelVersion(), h.sightingId().orElse(null),
                    "/api/v1/faces/" + h.faceId() + "/crop.png", "/api/v1/frames/" + h.frameId() + "/image");
        }
    }

    @Serdeable
    public record Window(String modelVersion, String from, String to) {

        static Window of(ModelWindow w) {
            return new Window(w.modelVersion(), Instant.ofEpochMilli(w.fromMs()).toString(),
                    Instant.ofEpochMilli(w.toMs()).toString());
        }
    }

    @Serdeable
    public record Problem(String error) {
    }

    /** Any type is routed here so that an unsupported one gets 415 with the reason (not the security rules' 403). */
    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> search(@Body byte[] body, @Header("Content-Type") @Nullable String contentType,
            @QueryValue @Nullable String camera, @QueryValue @Nullable String from, @QueryValue @Nullable String to,
            @QueryValue @Nullable String minScore, @QueryValue @Nullable String limit) {
        Filters filters;
        try {
            filters = filters(camera, from, to, minScore, limit);
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        if (body == null || body.length == 0) {
            return HttpResponse.badRequest(new Problem(
                    "the body is empty; send a JPEG or PNG photo, or {\"identityId\": \"...\"} as application/json"));
        }
        Queries queries;
        if (isJson(contentType)) {
            queries = byIdentity(body);
        } else if (ImageTypes.accepted(contentType)) {
            queries = byPhoto(body);
        } else {
            return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new Problem(
                    ImageTypes.refusal(contentType) + ", or application/json for a search by identity"));
        }
        if (queries.refusal() != null) {
            return queries.refusal();
        }
        HistoryResult result = history.search(new HistoryQuery(queries.vectors(), filters.camera(), filters.from(),
                filters.to(), filters.minScore(), filters.limit()));
        return HttpResponse.ok(new SearchPage(result.hits().stream().map(Hit::of).toList(),
                result.windows().stream().map(Window::of).toList(),
                queries.vectors().stream().map(QueryVector::modelVersion).distinct().sorted().toList()));
    }

    /** The query vectors of a request, or the answer that refuses it. */
    private record Queries(List<QueryVector> vectors, @Nullable HttpResponse<?> refusal) {

        static Queries refused(HttpResponse<?> refusal) {
            return new Queries(List.of(), refusal);
        }
    }

    /** The photo's largest face, detected, gated and embedded as for enrollment. */
    private Queries byPhoto(byte[] image) {
        try {
            GallerySample s = enroller.current().enroll("search", image).sample();
            float[] v = new float[s.getVector().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = s.getVector().get(i);
            }
            return new Queries(List.of(new QueryVector(s.getModelVersion(), v)), null);
        } catch (RejectedRecordException e) {
            HttpStatus status = e.kind().equals("no-face") || e.kind().equals(Enroller.LOW_QUALITY)
                    ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
            return Queries.refused(HttpResponse.status(status).body(new Problem(e.getMessage())));
        }
    }

    /** The gallery samples of {@code {"identityId": ...}}. */
    private Queries byIdentity(byte[] body) {
        if (body.length > MAX_JSON_BYTES) {
            return Queries.refused(HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(new Problem("a JSON query is at most " + MAX_JSON_BYTES + " bytes")));
        }
        ByIdentity q;
        try {
            q = json.readValue(body, ByIdentity.class);
        } catch (IOException | RuntimeException e) {
            return Queries.refused(HttpResponse.badRequest(new Problem("the body is not {\"identityId\": \"...\"}: "
                    + e.getMessage())));
        }
        if (q == null || q.identityId() == null || q.identityId().isBlank()
                || q.identityId().length() > InputLimits.MAX_NAME_CHARS) {
            return Queries.refused(HttpResponse.badRequest(new Problem("'identityId' must be a non-blank id of at most "
                    + InputLimits.MAX_NAME_CHARS + " characters")));
        }
        List<QueryVector> samples = history.samplesOf(q.identityId().strip());
        if (samples.isEmpty()) {
            return Queries.refused(HttpResponse.notFound(new Problem("no enrolled samples for identity "
                    + q.identityId())));
        }
        return new Queries(samples, null);
    }

    private static boolean isJson(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/json");
    }

    record Filters(Optional<String> camera, long from, long to, double minScore, int limit) {
    }

    /** @throws IllegalArgumentException with the reason, for a 400 */
    Filters filters(@Nullable String camera, @Nullable String from, @Nullable String to, @Nullable String minScore,
            @Nullable String limit) {
        Optional<String> cameraId = Optional.empty();
        if (camera != null && !camera.isBlank()) {
            Optional<String> problem = InputLimits.cameraIdProblem(camera.strip());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("'camera': " + problem.get());
            }
            cameraId = Optional.of(camera.strip());
        }
        long fromMs = instant("from", from, 0);
        long toMs = instant("to", to, Long.MAX_VALUE);
        if (fromMs > toMs) {
            throw new IllegalArgumentException("'from' (" + from + ") is after 'to' (" + to + ")");
        }
        double score = config.minScore();
        if (minScore != null && !minScore.isBlank()) {
            try {
                score = Double.parseDouble(minScore.strip());
            } catch (NumberFormatException e) {
                score = Double.NaN;
            }
            if (!(score >= -1 && score <= 1)) {
                throw new IllegalArgumentException("'minScore' must be a cosine from -1 to 1, got '" + minScore + "'");
            }
        }
        int n = config.defaultLimit();
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > config.maxLimit()) {
                throw new IllegalArgumentException("'limit' must be a whole number from 1 to " + config.maxLimit()
                        + ", got '" + limit + "'");
            }
        }
        return new Filters(cameraId, fromMs, toMs, score, n);
    }

    /** An ISO-8601 instant ({@code 2026-12-03T10:15:30Z}) or epoch milliseconds. */
    private static long instant(String name, @Nullable String value, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String v = value.strip();
        try {
            return v.chars().allMatch(Character::isDigit) && v.length() <= 15 ? Long.parseLong(v)
                    : Instant.parse(v).toEpochMilli();
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be an ISO-8601 instant (e.g. 2026-12-03T10:15:30Z)"
                    + " or epoch milliseconds, got '" + value + "'");
        }
    }
}
