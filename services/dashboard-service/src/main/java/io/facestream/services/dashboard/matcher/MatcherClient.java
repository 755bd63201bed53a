package io.facestream.services.dashboard.matcher;

import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.security.ActingOperator;
import io.facestream.services.dashboard.feedback.Gallery;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Provider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The matcher's HTTP API, for what only the matcher does: the gallery ({@link Gallery}, and the identities
 * API the dashboard passes through when it runs alone). Bounded: a connect
 * timeout, one deadline per call that covers the body too, and a cap on the answer's size; a failure is a
 * {@link MatcherException} with the status the dashboard answers (502, 504, or the matcher's own 4xx).
 *
 * <p>It is the dashboard's one HTTP client: when the dashboard runs alone, the routes it passes through as they
 * are ({@link #pass}: clusters and search at the matcher, the models API at the retrainer) take the same
 * bounded calls, the same service account and the same operator header, to the {@link Upstream} they name.
 *
 * <p>Identity: the dashboard logs in as its own service account (HTTP Basic, an {@code operator} account of the
 * matcher) and names the operator it acts for in {@value #OPERATOR_HEADER}, which the matcher logs next to the
 * account. Forwarding the operator's session instead would make every service share the session-signing secret
 * (a leaked dashboard could then forge sessions for any service) and replay a browser cookie outside the
 * browser's same-site and origin checks; the service account confines the dashboard to what its role allows
 * and keeps one secret per service.
 */
// Eager: a missing or invalid configuration stops the service at start, not at the first label.
@Context
public class MatcherClient implements Gallery {

    public static final String OPERATOR_HEADER = ActingOperator.HEADER;
    /** The ids the matcher makes (UUIDs) and anything else a path segment carries without escaping. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Operator names as the accounts spell them; anything else is sent percent-encoded. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    /** What a pass-through hands on as the upstream answered it; any other status is the dashboard's 502/503. */
    private static final Set<Integer> PASSED = Set.of(200, 201, 202, 204, 400, 404, 409, 413, 415, 422);
    public static final Set<String> JSON = Set.of("application/json");

    private final MatcherClientConfig config;
    private final Provider<EmbeddedServer> server;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String authorization;
    private volatile URI base;

    /**
     * A service the dashboard calls.
     *
     * @param name what error reasons call it ("the matcher", "the retrainer")
     * @param base {@code http(s)://host[:port]}
     * @param maxResponseBytes the largest answer read from it; a larger one is a 502
     */
    public record Upstream(String name, URI base, int maxResponseBytes) {
    }

    /** An upstream's answer as it came: status, media type (none for an empty body) and body. */
    public record Passed(int status, @Nullable String contentType, byte[] body) {

        /** The same answer, to the browser. */
        public MutableHttpResponse<?> response() {
            MutableHttpResponse<byte[]> r = HttpResponse.status(HttpStatus.valueOf(status));
            return contentType == null || body.length == 0 ? r : r.body(body).contentType(contentType);
        }
    }

    public MatcherClient(MatcherClientConfig config, Provider<EmbeddedServer> server, ObjectMapper json) {
        this.config = config;
        this.server = server;
        this.json = json;
        this.base = config.baseUrl();
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
    }

    @Serdeable
    record NewIdentity(String name) {
    }

    @Serdeable
    record Created(String id) {
    }

    /** A face an operator labelled, as the matcher's {@code POST /api/v1/identities/{id}/samples} takes it. */
    @Serdeable
    public record NewSample(String sourceFaceId, List<Float> vector, String modelVersion,
            @Nullable String alignedCrop) {
    }

    @Override
    public boolean identityExists(String identityId) {
        if (identityId == null || !SAFE_ID.matcher(identityId).matches()) {
            return false; // the matcher makes no such id
        }
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/identities/" + identityId)).GET(), null);
        if (a.status() == 200) {
            return true;
        }
        if (a.status() == 404) {
            return false;
        }
        throw unexpected(a, "GET identity");
    }

    @Override
    public String createIdentity(String name, String operator) {
        Answer a = call(post("/api/v1/identities", encode(new NewIdentity(name))), operator);
        if (a.status() != 201) {
            throw unexpected(a, "create identity");
        }
        try {
            Created created = json.readValue(a.body(), Created.class);
            if (created == null || created.id() == null || !SAFE_ID.matcher(created.id()).matches()) {
                throw new MatcherException(502, "the matcher created an identity without a usable id");
            }
            return created.id();
        } catch (IOException e) {
            throw new MatcherException(502, "the matcher's answer to create identity is not JSON: " + e.getMessage());
        }
    }

    @Override
    public void addSample(String identityId, FaceEmbedding face, String operator) {
        if (!SAFE_ID.matcher(identityId).matches()) {
            throw new MatcherException(404, "no identity " + identityId);
        }
        ByteBuffer crop = face.getAlignedCrop();
        String cropBase64 = null;
        if (crop != null) {
            byte[] bytes = new byte[crop.remaining()];
            crop.duplicate().get(bytes);
            cropBase64 = Base64.getEncoder().encodeToString(bytes);
        }
        NewSample sample = new NewSample(face.getFaceId(), face.getVector(), face.getModelVersion(), cropBase64);
        Answer a = call(post("/api/v1/identities/" + identityId + "/samples", encode(sample)), operator);
        if (a.status() != 201) {
            throw unexpected(a, "add a gallery sample");
        }
    }

    /** A cluster of unknown faces, as the matcher's {@code GET /api/v1/clusters/{id}} answers it. */
    @Serdeable
    public record Cluster(String clusterId, int size, List<String> faceIds, @Nullable String identityId) {
    }

    @Serdeable
    record ClusterIdentity(String identityId) {
    }

    /** The cluster (an absorbed id answers with the cluster that took it over), or empty when there is none. */
    public Optional<Cluster> cluster(String clusterId) {
        if (clusterId == null || !SAFE_ID.matcher(clusterId).matches()) {
            return Optional.empty(); // the matcher makes no such id
        }
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/clusters/" + clusterId)).GET(), null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        if (a.status() != 200) {
            throw unexpected(a, "GET cluster");
        }
        try {
            Cluster k = json.readValue(a.body(), Cluster.class);
            if (k == null || k.clusterId() == null || !SAFE_ID.matcher(k.clusterId()).matches() || k.faceIds() == null) {
                throw new MatcherException(502, "the matcher answered a cluster without an id or faces");
            }
            return Optional.of(k);
        } catch (IOException e) {
            throw new MatcherException(502, "the matcher's answer to GET cluster is not JSON: " + e.getMessage());
        }
    }

    /**
     * Tells the matcher's clustering that the cluster is now this person (it publishes that on {@code clusters},
     * and its faces leave the unknown clusters as they match the person).
     */
    public void nameCluster(String clusterId, String identityId, String operator) {
        if (!SAFE_ID.matcher(clusterId).matches()) {
            throw new MatcherException(404, "no cluster " + clusterId);
        }
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/clusters/" + clusterId + "/identity"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(encode(new ClusterIdentity(identityId)))), operator);
        if (a.status() != 200) {
            throw unexpected(a, "name a cluster");
        }
    }

    /** A person in the gallery, as the matcher's {@code GET /api/v1/identities} lists them. */
    @Serdeable
    public record IdentityView(String id, @Nullable String name, int samples) {
    }

    /** The sample a photo enrolled, as the matcher's {@code POST /api/v1/identities/{id}/faces} answers. */
    @Serdeable
    public record Enrolled(String identityId, String sampleId, @Nullable String modelVersion) {
    }

    /** Everybody in the gallery, as the matcher orders them; an answer over {@code maxResponseBytes} is a 502. */
    public List<IdentityView> identities() {
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/identities")).GET(), null);
        if (a.status() != 200) {
            throw unexpected(a, "list identities");
        }
        try {
            List<IdentityView> list = json.readValue(a.body(), Argument.listOf(IdentityView.class));
            if (list == null || list.stream().anyMatch(i -> i == null || i.id() == null)) {
                throw new MatcherException(502, "the matcher listed an identity without an id");
            }
            return list;
        } catch (IOException e) {
            throw new MatcherException(502, "the matcher's answer to list identities is not JSON: " + e.getMessage());
        }
    }

    /**
     * Enrolls a photo (detected, aligned and embedded by the matcher); the matcher's refusals come back with its
     * status and reason (404 no such person, 415 not an image, 422 no usable face, 503 its models not ready).
     */
    public Enrolled enroll(String identityId, byte[] image, String contentType, String operator) {
        if (identityId == null || !SAFE_ID.matcher(identityId).matches()) {
            throw new MatcherException(404, "no identity " + identityId);
        }
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/identities/" + identityId + "/faces"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(image)), operator);
        if (a.status() != 201) {
            throw unexpected(a, "enroll a photo");
        }
        try {
            Enrolled e = json.readValue(a.body(), Enrolled.class);
            if (e == null || e.identityId() == null || e.sampleId() == null) {
                throw new MatcherException(502, "the matcher enrolled a photo without naming the sample");
            }
            return e;
        } catch (IOException e) {
            throw new MatcherException(502, "the matcher's answer to enroll a photo is not JSON: " + e.getMessage());
        }
    }

    /** Erases the person and their samples (404 when the matcher has neither). */
    public void deleteIdentity(String identityId, String operator) {
        if (identityId == null || !SAFE_ID.matcher(identityId).matches()) {
            throw new MatcherException(404, "no identity " + identityId);
        }
        Answer a = call(HttpRequest.newBuilder(uri("/api/v1/identities/" + identityId)).DELETE(), operator);
        if (a.status() != 204) {
            throw unexpected(a, "delete an identity");
        }
    }

    private byte[] encode(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request to the matcher", e);
        }
    }

    private HttpRequest.Builder post(String path, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private URI uri(String path) {
        URI b = base;
        if (b == null) {
            // loopback: the port is known once this JVM's server runs (tests start it on a free port)
            b = URI.create("http://127.0.0.1:" + server.get().getPort());
            base = b;
        }
        return b.resolve(path);
    }

    /** A status and at most {@code maxResponseBytes} of body. */
    record Answer(int status, @Nullable String contentType, byte[] body) {

        String text() {
            String s = new String(body, StandardCharsets.UTF_8);
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }

    private Answer call(HttpRequest.Builder request, String operator) {
        return call(matcher(), request.header("Accept", "application/json"), operator);
    }

    /** The matcher as an upstream (its URL known once this JVM's server runs, with loopback). */
    public Upstream matcher() {
        return new Upstream("matcher", uri("/"), config.maxResponseBytes());
    }

    /**
     * Passes a request to an upstream and hands back its answer as it is, when it is a success or one of its
     * refusals (400, 404, 409, 413, 415, 422) of a media type the route serves ({@code answerTypes} for a
     * success, JSON for a refusal). Otherwise a {@link MatcherException}: 502 for a refused service account, an
     * unexpected status or type, an unreachable upstream or one that answers more than its cap; 503 passed on
     * (e.g. models still loading); 504 when it is too slow.
     *
     * @param pathAndQuery an absolute path whose segments and query values the caller has checked or encoded
     */
    public Passed pass(Upstream to, String method, String pathAndQuery, @Nullable byte[] body,
            @Nullable String contentType, @Nullable String operator, Set<String> answerTypes) {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.base().resolve(pathAndQuery))
                .header("Accept", String.join(", ", answerTypes));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        Answer a = call(to, request, operator);
        String what = method + " " + pathAndQuery.replaceFirst("\\?.*", "");
        if (!PASSED.contains(a.status())) {
            throw unexpected(to, a, what);
        }
        String type = a.contentType();
        if (a.body().length == 0) {
            return new Passed(a.status(), null, a.body());
        }
        Set<String> allowed = a.status() < 300 ? answerTypes : JSON;
        if (type == null || !allowed.contains(type)) {
            throw new MatcherException(502, "the " + to.name() + " answered " + what + " with " + a.status() + " "
                    + (type == null ? "and no type" : type) + ", not " + String.join(" or ", allowed));
        }
        return new Passed(a.status(), type, a.body());
    }

    /**
     * Whether a path segment from a request can be sent on as it is: the characters of the ids the services
     * make, and never {@code .} or {@code ..} (which would climb out of the route).
     */
    public static boolean safeSegment(@Nullable String segment) {
        return segment != null && SAFE_ID.matcher(segment).matches() && !segment.chars().allMatch(c -> c == '.');
    }

    private Answer call(Upstream to, HttpRequest.Builder request, String operator) {
        request.timeout(config.requestTimeout()).header("Authorization", authorization);
        if (operator != null) {
            request.header(OPERATOR_HEADER, SAFE_NAME.matcher(operator).matches() ? operator
                    : java.net.URLEncoder.encode(operator, StandardCharsets.UTF_8));
        }
        HttpRequest built = request.build();
        CompletableFuture<java.net.http.HttpResponse<byte[]>> pending = http.sendAsync(built,
                info -> new BoundedBody(to.maxResponseBytes()));
        try {
            // one deadline for the whole call: the client's own timeout stops at the headers
            java.net.http.HttpResponse<byte[]> r = pending.get(config.requestTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").map(MatcherClient::mediaType)
                    .orElse(null), r.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new MatcherException(504, "the " + to.name() + " did not answer " + built.method() + " "
                    + built.uri().getPath() + " within " + config.requestTimeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new MatcherException(504, "the " + to.name() + " did not answer within "
                        + config.requestTimeout(), cause);
            }
            if (cause instanceof TooLarge) {
                throw new MatcherException(502, "the " + to.name() + "'s answer is larger than "
                        + to.maxResponseBytes() + " bytes", cause);
            }
            throw new MatcherException(502, "the " + to.name() + " cannot be reached: " + cause, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new MatcherException(504, "interrupted while waiting for the " + to.name(), e);
        }
    }

    /** A Content-Type without its parameters, in lower case. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static MatcherException unexpected(Answer a, String what) {
        return switch (a.status()) {
            case 400, 404, 409, 413, 415, 422 -> new MatcherException(a.status(), "the matcher refused to " + what
                    + ": " + problem(a));
            default -> unexpected("matcher", a, what);
        };
    }

    private static MatcherException unexpected(Upstream to, Answer a, String what) {
        return unexpected(to.name(), a, what);
    }

    private static MatcherException unexpected(String name, Answer a, String what) {
        return switch (a.status()) {
            case 401, 403 -> new MatcherException(502, "the " + name + " refused the dashboard's service account ("
                    + a.status() + "); check " + MatcherClientConfig.PREFIX + ".username/password and its role");
            // e.g. its enrollment models still loading: the client may retry, as it would against the matcher
            case 503 -> new MatcherException(503, "the " + name + " cannot " + what + " yet: " + problem(a));
            default -> new MatcherException(502, "the " + name + " answered " + a.status() + " to " + what);
        };
    }

    /** The matcher's {@code {"error": …}}, or the start of its body. */
    private static String problem(Answer a) {
        String text = a.text();
        int i = text.indexOf("\"error\":\"");
        if (i >= 0) {
            int end = text.indexOf('"', i + 9);
            return end > 0 ? text.substring(i + 9, end) : text.substring(i + 9);
        }
        return text;
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer too large");
        }
    }

    /** Collects a body up to a limit; beyond it, cancels the response and fails with {@link TooLarge}. */
    private static final class BoundedBody implements BodySubscriber<byte[]> {

        private final int limit;
        private final BodySubscriber<byte[]> bytes = BodySubscribers.ofByteArray();
        private Flow.Subscription subscription;
        private long received;
        private boolean failed;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return bytes.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            bytes.onSubscribe(s);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (failed) {
                return;
            }
            for (ByteBuffer b : items) {
                received += b.remaining();
            }
            if (received > limit) {
                failed = true;
                subscription.cancel();
                bytes.onError(new TooLarge());
                return;
            }
            bytes.onNext(items);
        }

        @Override
        public void onError(Throwable t) {
            if (!failed) {
                bytes.onError(t);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                bytes.onComplete();
            }
        }
    }
}
