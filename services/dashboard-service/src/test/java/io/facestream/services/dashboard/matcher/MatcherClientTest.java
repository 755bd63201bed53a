package io.facestream.services.dashboard.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client alone against a local HTTP server standing in for the matcher: its timeouts, its size cap, the
 * statuses it turns failures into, and the account and operator it sends.
 */
class MatcherClientTest {

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/identities/known", ex -> answer(ex, 200, "{\"id\":\"known\"}"));
        server.createContext("/api/v1/identities/gone", ex -> answer(ex, 404, "{\"error\":\"no identity gone\"}"));
        server.createContext("/api/v1/identities/slow", ex -> {
            sleep(6000);
            answer(ex, 200, "{}");
        });
        server.createContext("/api/v1/identities/huge", ex -> answer(ex, 200, "x".repeat(5000)));
        server.createContext("/api/v1/identities/locked", ex -> answer(ex, 401, ""));
        server.createContext("/api/v1/identities/boom", ex -> answer(ex, 500, "stack trace"));
        server.createContext("/pass/ok", ex -> {
            seen.put("query", String.valueOf(ex.getRequestURI().getRawQuery()));
            seen.put("method", ex.getRequestMethod());
            seen.put("type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, 200, "application/json;charset=utf-8", "{\"items\":[],\"extra\":1}");
        });
        server.createContext("/pass/conflict", ex -> answer(ex, 409, "application/json",
                "{\"error\":\"a retraining job is already running\",\"runningJob\":\"j1\"}"));
        server.createContext("/pass/big", ex -> answer(ex, 200, "application/json", "\"" + "x".repeat(5000) + "\""));
        server.createContext("/pass/html", ex -> answer(ex, 200, "text/html", "<html>login</html>"));
        server.createContext("/pass/loading", ex -> answer(ex, 503, "application/json", "{\"error\":\"models loading\"}"));
        server.createContext("/pass/teapot", ex -> answer(ex, 418, "application/json", "{}"));
        server.createContext("/pass/empty404", ex -> answer(ex, 404, ""));
        server.createContext("/api/v1/identities", ex -> {
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, 201, "{\"id\":\"3f2a-new\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex, int status, String body) throws IOException {
        answer(ex, status, null, body);
    }

    private void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        seen.put("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        seen.put("operator", String.valueOf(ex.getRequestHeaders().getFirst(MatcherClient.OPERATOR_HEADER)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MatcherClientConfig config(URI base) {
        return config(base, Duration.ofSeconds(10));
    }

    private static MatcherClientConfig config(URI base, Duration requestTimeout) {
        return new MatcherClientConfig(base, false, "dashboard-service", "s3cret", Duration.ofSeconds(2),
                requestTimeout, 1024);
    }

    private MatcherClient client() {
        return client(Duration.ofSeconds(10));
    }

    private MatcherClient client(Duration requestTimeout) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new MatcherClient(config(base, requestTimeout), () -> {
            throw new AssertionError("not loopback");
        }, ObjectMapper.getDefault());
    }

    @Test
    void asksAsItsServiceAccountAndNamesTheOperator() {
        MatcherClient c = client();
        assertTrue(c.identityExists("known"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("dashboard-service:s3cret".getBytes(
                StandardCharsets.UTF_8)), seen.get("authorization"));
        assertFalse(c.identityExists("gone"));
        assertFalse(c.identityExists("../admin"), "an id the matcher never makes is not sent");
        assertEquals("3f2a-new", c.createIdentity("Ann Lee", "op"));
        assertEquals("op", seen.get("operator"));
        assertTrue(seen.get("body").contains("\"name\":\"Ann Lee\""), seen.get("body"));
    }

    @Test
    void failuresBecome502Or504WithTheReason() {
        MatcherClient c = client();
        assertTrue(c.identityExists("known"), "warmed up");
        MatcherException slow = assertThrows(MatcherException.class,
                () -> client(Duration.ofMillis(1500)).identityExists("slow"));
        assertEquals(504, slow.status());
        assertTrue(slow.getMessage().contains("within"), slow.getMessage());
        MatcherException huge = assertThrows(MatcherException.class, () -> c.identityExists("huge"));
        assertEquals(502, huge.status());
        assertTrue(huge.getMessage().contains("larger than 1024"), huge.getMessage());
        MatcherException locked = assertThrows(MatcherException.class, () -> c.identityExists("locked"));
        assertEquals(502, locked.status());
        assertTrue(locked.getMessage().contains("service account"), locked.getMessage());
        assertEquals(502, assertThrows(MatcherException.class, () -> c.identityExists("boom")).status());
    }

    @Test
    void anUnreachableMatcherIs502() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        MatcherClient c = new MatcherClient(config(URI.create("http://127.0.0.1:" + closed)), () -> null,
                ObjectMapper.getDefault());
        MatcherException e = assertThrows(MatcherException.class, () -> c.identityExists("known"));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    }

    private MatcherClient.Upstream upstream(int maxResponseBytes) {
        return new MatcherClient.Upstream("retrainer", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                maxResponseBytes);
    }

    @Test
    void passesAnAnswerOnAsItCameAsTheServiceAccount() {
        MatcherClient c = client();
        MatcherClient.Passed ok = c.pass(upstream(1024), "POST", "/pass/ok?camera=a%20b&limit=5",
                "{\"identityId\":\"x\"}".getBytes(StandardCharsets.UTF_8), "application/json", "op",
                MatcherClient.JSON);
        assertEquals(200, ok.status());
        assertEquals("application/json", ok.contentType(), "the type without its parameters");
        assertEquals("{\"items\":[],\"extra\":1}", new String(ok.body(), StandardCharsets.UTF_8),
                "every field, also one the dashboard does not know");
        assertEquals("camera=a%20b&limit=5", seen.get("query"));
        assertEquals("POST", seen.get("method"));
        assertEquals("application/json", seen.get("type"));
        assertEquals("{\"identityId\":\"x\"}", seen.get("body"));
        assertEquals("op", seen.get("operator"));
        assertTrue(seen.get("authorization").startsWith("Basic "), seen.get("authorization"));

        // a refusal of the upstream's own passes on with its body (here a field more than "error")
        MatcherClient.Passed conflict = c.pass(upstream(1024), "POST", "/pass/conflict", null, null, "op",
                MatcherClient.JSON);
        assertEquals(409, conflict.status());
        assertTrue(new String(conflict.body(), StandardCharsets.UTF_8).contains("\"runningJob\":\"j1\""));
        MatcherClient.Passed empty = c.pass(upstream(1024), "GET", "/pass/empty404", null, null, null,
                MatcherClient.JSON);
        assertEquals(404, empty.status());
        assertEquals(null, empty.contentType());
    }

    @Test
    void aPassThroughFailsWithTheUpstreamsNameAndTheReason() throws IOException {
        MatcherClient c = client();
        MatcherException html = assertThrows(MatcherException.class, () -> c.pass(upstream(1024), "GET",
                "/pass/html", null, null, null, MatcherClient.JSON));
        assertEquals(502, html.status());
        assertTrue(html.getMessage().contains("retrainer") && html.getMessage().contains("text/html"),
                html.getMessage());
        MatcherException huge = assertThrows(MatcherException.class, () -> c.pass(upstream(1024), "GET",
                "/pass/big", null, null, null, MatcherClient.JSON));
        assertEquals(502, huge.status());
        assertTrue(huge.getMessage().contains("the retrainer's answer is larger than 1024"), huge.getMessage());
        assertEquals(5002, c.pass(upstream(8192), "GET", "/pass/big", null, null, null, MatcherClient.JSON)
                .body().length, "the cap is the upstream's own, not the matcher's");
        MatcherException locked = assertThrows(MatcherException.class, () -> c.pass(upstream(1024), "GET",
                "/api/v1/identities/locked", null, null, null, MatcherClient.JSON));
        assertEquals(502, locked.status());
        assertTrue(locked.getMessage().contains("refused the dashboard's service account"), locked.getMessage());
        MatcherException loading = assertThrows(MatcherException.class, () -> c.pass(upstream(1024), "GET",
                "/pass/loading", null, null, null, MatcherClient.JSON));
        assertEquals(503, loading.status());
        assertTrue(loading.getMessage().contains("models loading"), loading.getMessage());
        assertEquals(502, assertThrows(MatcherException.class, () -> c.pass(upstream(1024), "GET", "/pass/teapot",
                null, null, null, MatcherClient.JSON)).status());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        MatcherException down = assertThrows(MatcherException.class, () -> c.pass(new MatcherClient.Upstream(
                "retrainer", URI.create("http://127.0.0.1:" + closed), 1024), "GET", "/api/v1/models", null, null,
                null, MatcherClient.JSON));
        assertEquals(502, down.status());
        assertTrue(down.getMessage().contains("the retrainer cannot be reached"), down.getMessage());
    }

    @Test
    void onlyPlainIdsArePassedOnAsPathSegments() {
        assertTrue(MatcherClient.safeSegment("u-0123abcd"));
        assertTrue(MatcherClient.safeSegment("mobilefacenet-ft-20261203-ab12"));
        for (String bad : new String[] {"..", ".", "a/b", "a%2Fb", "a?b", "", "x".repeat(129)}) {
            assertFalse(MatcherClient.safeSegment(bad), bad);
        }
        assertFalse(MatcherClient.safeSegment(null));
    }

    @Test
    void theConfigurationIsCheckedAndHidesThePassword() {
        assertThrows(IllegalArgumentException.class, () -> new MatcherClientConfig(null, false, "u", "p",
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1024), "neither a URL nor loopback");
        assertThrows(IllegalArgumentException.class, () -> new MatcherClientConfig(URI.create("http://m:8080"), true,
                "u", "p", Duration.ofSeconds(1), Duration.ofSeconds(1), 1024), "both");
        for (String bad : new String[] {"ftp://m", "http://u:p@m:8080", "http://m:8080/api", "http://m?x=1"}) {
            assertThrows(IllegalArgumentException.class, () -> new MatcherClientConfig(URI.create(bad), false, "u",
                    "p", Duration.ofSeconds(1), Duration.ofSeconds(1), 1024), bad);
        }
        assertFalse(config(URI.create("http://m:8080")).toString().contains("s3cret"));
    }
}
