package io.facestream.services.allinone.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.services.allinone.EmbeddedPipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Live tab survives a restart of the service: the indicator says "reconnecting" while it is down, and
 * the next match arrives over the stream again without reloading the page. Same ports, same data directory
 * and a fixed cookie key, so the session outlives the restart as it would with FACESTREAM_JWT_SECRET set.
 */
class LiveReconnectBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String USER = "op";
    private static final String PASSWORD = "op-secret-" + UUID.randomUUID();

    @TempDir
    Path data;
    @TempDir
    Path profile;
    EmbeddedPipeline pipeline;
    WebDriver browser;
    String base;

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    @Test
    void theLiveListReconnectsAfterTheServiceRestarts() throws Exception {
        Browser.require();
        List<Path> photos = photos(SharedData.require("faces-dev/dlib_johns/John_Simm"));
        int httpPort = freePort();
        int kafkaPort = freePort();
        Map<String, Object> props = new HashMap<>(EmbeddedPipeline.account(USER, PASSWORD, "operator"));
        props.put("micronaut.security.token.jwt.signatures.secret.generator.secret",
                UUID.randomUUID() + "-" + UUID.randomUUID());
        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), httpPort, kafkaPort, props);
        base = "http://localhost:" + httpPort;
        enroll(photos.subList(0, 2));

        browser = Browser.start(profile);
        browser.get(base + "/");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/login.html"));
        browser.findElement(By.id("username")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "true".equals(
                d.findElement(By.tagName("body")).getAttribute("data-ready")));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
        browser.findElement(By.id("live-view-matches")).click(); // Live opens on sightings; this follows matches

        awaitMatch(publish(photos.get(2)));
        awaitStatus("live");

        pipeline.close();
        pipeline = null;
        awaitStatus("reconnecting");
        Browser.screenshot(browser, "live-reconnecting");

        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), httpPort, kafkaPort, props);
        String frameId = publish(photos.get(3));
        awaitMatch(frameId);
        // The list may be redrawn when the stream reopens (it reloads recent matches), so read the name afresh.
        By name = By.cssSelector("[data-testid=match][data-face-id^='" + frameId + "-'] [data-testid=match-name]");
        assertEquals("John_Simm", new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(name).getText()));
        awaitStatus("live");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.sameDocument;"),
                "the match came without reloading the page");
    }

    private WebElement awaitMatch(String frameId) {
        return new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=match][data-face-id^='" + frameId + "-']")));
    }

    private void awaitStatus(String status) {
        WebElement indicator = browser.findElement(By.id("stream-status"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(() -> "stream status "
                + indicator.getAttribute("data-status") + ", wanted " + status)
                .until(d -> status.equals(indicator.getAttribute("data-status")));
    }

    private void enroll(List<Path> faces) throws Exception {
        HttpResponse<String> created = send("/api/v1/identities", JSON.writeValueAsBytes(Map.of("name", "John_Simm")),
                "application/json");
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("id").asText();
        for (Path face : faces) {
            HttpResponse<String> r = send("/api/v1/identities/" + id + "/faces", Files.readAllBytes(face), "image/jpeg");
            assertEquals(201, r.statusCode(), r.body());
        }
    }

    private String publish(Path photo) throws Exception {
        HttpResponse<String> r = send("/api/v1/frames?camera=cam-restart", Files.readAllBytes(photo), "image/jpeg");
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("frameId").asText();
    }

    private HttpResponse<String> send(String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> photos(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
