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
