package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.SharedData;
import io.facestream.services.common.security.HttpSecurityConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API as an attacker probes it, on the running pipeline: session cookie flags, cross-site requests on a
 * non-localhost host name, logout, security headers, login throttling, roles, media types and input limits.
 */
class HttpHardeningTest extends RunningPipelineTest {

    /** A client on the default loopback address. */
    private static RawHttp raw() {
        return new RawHttp(base, null);
    }

    /** A client on its own loopback address (127.0.0.x is all this machine), standing for another computer. */
    private static RawHttp from(String address) throws Exception {
        return new RawHttp(base, InetAddress.getByName(address));
    }

    /** The origin browsers send for pages of this server. */
    private static String origin() {
        return HttpSecurityConfig.origin(base);
    }

    /** Logs in through the form and returns the session cookie ({@code JWT=...}). */
    private static String logIn(RawHttp client, String user, String password) throws Exception {
        RawHttp.Response r = client.form("/login", Map.of(), "username=" + user + "&password=" + password);
        assertEquals(303, r.status(), "login of " + user + ": " + r.body());
        String cookie = r.all("Set-Cookie").stream().filter(c -> c.startsWith("JWT=")).findFirst().orElse(null);
        assertNotNull(cookie, "a session cookie: " + r.headers());
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        RawHttp.Response r = raw().form("/login", Map.of(), "username=op&password=op-password");
        assertEquals(303, r.status(), r.body());
        String cookie = r.all("Set-Cookie").stream().filter(c -> c.startsWith("JWT=")).findFirst().orElseThrow();
        String flags = cookie.toLowerCase(Locale.ROOT);
        assertTrue(flags.contains("; httponly"), cookie);
        assertTrue(flags.contains("; samesite=strict"), cookie);
        assertFalse(flags.contains("; secure"), "over plain HTTP the cookie cannot be Secure: " + cookie);
    }

    @Test
    void aCookieBorneStateChangeFromAForeignOriginIsRefusedOnAnyHostName() throws Exception {
        String cookie = logIn(raw(), "op", "op-password");
        byte[] body = "{\"name\":\"Mallory's face\"}".getBytes(StandardCharsets.UTF_8);
        // The attack: a page on another site posts with the victim's cookie, no Content-Type (a "simple" request),
        // to the server under a real host name.
        for (Map<String, String> headers : List.of(
                Map.of("Host", "facestream.example", "Cookie", cookie, "Origin", "http://evil.example"),
                Map.of("Host", "facestream.example", "Cookie", cookie, "Origin", "http://facestream.example"),
                Map.of("Host", "facestream.example", "Cookie", cookie, "Origin", "null"),
                Map.of("Host", "facestream.example", "Cookie", cookie, "Referer", "http://evil.example/page"),
                Map.of("Host", "facestream.example", "Cookie", cookie))) {
            RawHttp.Response r = raw().send("POST", "/api/v1/identities", headers, body);
            assertEquals(403, r.status(), headers + " -> " + r.body());
            assertTrue(r.body().contains("cross-site request refused"), r.body());
        }
        assertEquals(403, raw().send("DELETE", "/api/v1/identities/x",
                Map.of("Cookie", cookie, "Origin", "http://evil.example"), null).status());
        assertEquals(403, raw().send("POST", "/api/v1/models/retrain",
                Map.of("Cookie", cookie, "Origin", "http://evil.example"), new byte[0]).status());
        assertFalse(get("/api/v1/identities", OPERATOR).body().contains("Mallory"), "nothing was created");

        // The dashboard itself (its own origin) and scripts with HTTP Basic go on working.
        RawHttp.Response own = raw().send("POST", "/api/v1/identities", Map.of("Cookie", cookie, "Origin", origin(),
                "Content-Type", "application/json"), "{\"name\":\"Same origin\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, own.status(), own.body());
        RawHttp.Response referer = raw().send("POST", "/api/v1/identities", Map.of("Cookie", cookie, "Referer",
                origin() + "/index.html", "Content-Type", "application/json"),
                "{\"name\":\"Same origin by Referer\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, referer.status(), referer.body());
        RawHttp.Response script = raw().send("POST", "/api/v1/identities", Map.of("Host", "facestream.example",
                "Authorization", OPERATOR, "Origin", "http://evil.example", "Content-Type", "application/json"),
                "{\"name\":\"By script\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, script.status(), "HTTP Basic is not cookie-borne: " + script.body());
        // A login form posted from a foreign page (login CSRF) is refused as well.
        assertEquals(403, raw().form("/login", Map.of("Origin", "http://evil.example"),
                "username=op&password=op-password").status());
    }

    @Test
    void aCookieUsedAfterLogoutGets401() throws Exception {
        String cookie = logIn(raw(), "watcher", "watcher-password");
        assertEquals(200, raw().send("GET", "/api/v1/me", Map.of("Cookie", cookie), null).status());
        RawHttp.Response logout = raw().send("GET", "/logout", Map.of("Cookie", cookie), null);
        assertTrue(logout.status() == 303 || logout.status() == 302 || logout.status() == 200, logout.toString());
        assertEquals(401, raw().send("GET", "/api/v1/me", Map.of("Cookie", cookie), null).status(),
                "the old cookie, replayed after logout");
        String again = logIn(raw(), "watcher", "watcher-password");
        assertEquals(200, raw().send("GET", "/api/v1/me", Map.of("Cookie", again), null).status(),
                "a new login is a new session");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        List<RawHttp.Response> answers = List.of(
                raw().send("GET", "/login.html", Map.of(), null),
                raw().send("GET", "/index.html", Map.of(), null),
                raw().send("GET", "/api/v1/me", Map.of("Authorization", VIEWER), null),
                raw().send("GET", "/api/v1/me", Map.of(), null),
                raw().send("GET", "/api/v1/no-such-thing", Map.of("Authorization", VIEWER), null));
        assertEquals(200, answers.get(0).status());
        assertEquals(200, answers.get(2).status());
        assertEquals(401, answers.get(3).status());
        for (RawHttp.Response r : answers) {
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp, r.status() + " " + r.headers());
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
                    && csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("DENY", r.header("X-Frame-Options"));
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertEquals("same-origin", r.header("Referrer-Policy"));
        }
        assertFalse(answers.get(0).body().contains("<script>"), "no inline script in the login page");
    }

    @Test
    void wrongLoginsFromOneAddressAreThrottledWhileAnotherAddressStillLogsIn() throws Exception {
        RawHttp attacker = from("127.0.0.3");
        List<Integer> statuses = new ArrayList<>();
        RawHttp.Response last = null;
        for (int i = 0; i < 20; i++) {
            last = attacker.form("/login", Map.of(), "username=op&password=guess-" + i);
            statuses.add(last.status());
            if (last.status() == 303) {
                assertTrue(last.header("Location").contains("error"), "a wrong password never signs in");
            }
        }
        assertTrue(statuses.contains(429), statuses.toString());
        assertEquals(429, last.status(), statuses.toString());
        long retryAfter = Long.parseLong(last.header("Retry-After"));
        assertTrue(retryAfter > 30 && retryAfter <= 60, "Retry-After in seconds: " + retryAfter);
        assertTrue(last.body().contains("too many failed logins"), last.body());
        // Throttled means throttled: even the right password (form or Basic) waits on that address ...
        assertEquals(429, attacker.form("/login", Map.of(), "username=op&password=op-password").status());
        assertEquals(429, attacker.send("GET", "/api/v1/me", Map.of("Authorization", basic("op", "wrong")), null)
                .status());
        // ... while the owner on another address signs in at once.
        logIn(from("127.0.0.4"), "op", "op-password");
        assertEquals(200, from("127.0.0.4").send("GET", "/api/v1/me", Map.of("Authorization", OPERATOR), null)
                .status());
    }

    /** Every read endpoint, and every operator one: a camera account may only publish frames. */
    @Test
    void aCameraAccountGets403OnEveryReadEndpoint() throws Exception {
        String[][] table = {
            {"GET", "/api/v1/matches?limit=5"},
            {"GET", "/api/v1/matches/stream"},
            {"GET", "/api/v1/faces/some-face/crop.png"},
            {"GET", "/api/v1/review?limit=5"},
            {"GET", "/api/v1/identities"},
            {"GET", "/api/v1/identities/some-id"},
            {"GET", "/api/v1/cameras"},
            {"GET", "/api/v1/stats"},
            {"GET", "/api/v1/models"},
            {"GET", "/api/v1/models/jobs"},
            {"GET", "/api/v1/models/jobs/some-job"},
            {"GET", "/api/v1/models/versions/v1/files/report.json"},
            {"POST", "/api/v1/identities"},
            {"POST", "/api/v1/feedback"},
            {"POST", "/api/v1/search"},
            {"POST", "/api/v1/models/retrain"},
            {"PUT", "/api/v1/cameras/door"},
            {"DELETE", "/api/v1/identities/some-id"},
        };
        for (String[] row : table) {
            byte[] body = row[0].equals("GET") || row[0].equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = body == null ? Map.of("Authorization", CAMERA)
                    : Map.of("Authorization", CAMERA, "Content-Type", "application/json");
            RawHttp.Response r = raw().send(row[0], row[1], headers, body);
            assertEquals(403, r.status(), row[0] + " " + row[1] + " as a camera: " + r.body());
        }
        assertEquals("cam", ApiClient.json(get("/api/v1/me", CAMERA)).get("username").asText());
        RawHttp.Response frame = raw().send("POST", "/api/v1/frames?camera=cam-1", Map.of("Authorization", CAMERA,
                "Content-Type", "image/jpeg"), Files.readAllBytes(photo()));
        assertEquals(202, frame.status(), frame.body());
        // A viewer still reads.
        assertEquals(200, get("/api/v1/identities", VIEWER).statusCode());
        assertEquals(200, get("/api/v1/models", VIEWER).statusCode());
    }

    @Test
    void unsupportedMediaTypesGet415() throws Exception {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        String id = ApiClient.json(send("POST", "/api/v1/identities", "{\"name\":\"Gif Person\"}", OPERATOR))
                .get("id").asText();
        for (String path : List.of("/api/v1/frames?camera=door", "/api/v1/identities/" + id + "/faces",
                "/api/v1/search")) {
            RawHttp.Response r = raw().send("POST", path, Map.of("Authorization", OPERATOR, "Content-Type",
                    "image/gif"), gif);
            assertEquals(415, r.status(), path + ": " + r.body());
            assertTrue(r.body().contains("image/gif") && r.body().contains("image/jpeg"), r.body());
        }
    }

    @Test
    void userSuppliedStringsHaveLimits() throws Exception {
        String huge = "a".repeat(300 * 1024);
        var r = send("POST", "/api/v1/identities", "{\"name\":\"" + huge + "\"}", OPERATOR);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("the limit is 200"), r.body().substring(0, Math.min(300, r.body().length())));
        assertEquals(201, send("POST", "/api/v1/identities", "{\"name\":\"" + "b".repeat(200) + "\"}", OPERATOR)
                .statusCode(), "200 characters are fine");
        var bidi = send("POST", "/api/v1/identities", "{\"name\":\"Eve\\u202Egnp.exe\"}", OPERATOR);
        assertEquals(400, bidi.statusCode());
        assertTrue(bidi.body().contains("U+202E"), bidi.body());
        assertEquals(400, send("POST", "/api/v1/identities", "{\"name\":\"tab\\there\"}", OPERATOR).statusCode());
        var feedback = send("POST", "/api/v1/feedback", "{\"faceId\":\"f\",\"verdict\":\"NEW_IDENTITY\",\"name\":\""
                + huge + "\"}", OPERATOR);
        assertEquals(400, feedback.statusCode());

        byte[] jpeg = Files.readAllBytes(photo());
        for (String camera : List.of("a".repeat(65), "door%2F..%2Fx", "caf%C3%A9", "two%20words")) {
            RawHttp.Response frame = raw().send("POST", "/api/v1/frames?camera=" + camera, Map.of("Authorization",
                    OPERATOR, "Content-Type", "image/jpeg"), jpeg);
            assertEquals(400, frame.status(), camera + ": " + frame.body());
            assertTrue(frame.body().contains("1 to 64 of A-Z"), frame.body());
        }
        var settings = send("PUT", "/api/v1/cameras/" + "c".repeat(65), "{\"enabled\":false}", OPERATOR);
        assertEquals(400, settings.statusCode(), settings.body());
        assertEquals(200, send("PUT", "/api/v1/cameras/lobby.cam-2_b", "{\"enabled\":true}", OPERATOR).statusCode());
    }

    // ---- helpers ----

    private static Path photo() throws Exception {
        try (Stream<Path> s = Files.list(SharedData.require("faces-dev/dlib_johns/John_Simm"))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }
}
