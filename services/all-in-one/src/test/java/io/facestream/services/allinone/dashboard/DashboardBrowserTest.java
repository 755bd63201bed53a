package io.facestream.services.allinone.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.Decision;
import io.facestream.schema.Feedback;
import io.facestream.schema.SightingState;
import io.facestream.schema.Verdict;
import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.allinone.TrackerStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page in headless Chromium against the whole system in one JVM (in-process broker): sign in
 * through the form, watch a known face arrive live, relabel an unknown one, delete a person, check what a
 * viewer may not do, follow a sighting as its track goes on and label it. Screenshots of every tab go to
 * {@code target/screenshots/<tab>.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Topics TOPICS = new Topics(4);
    private static final Duration PIPELINE = Duration.ofSeconds(45); // first frames also warm the models up
    private static final String OPERATOR = "op";
    private static final String OPERATOR_PASSWORD = "op-secret-" + UUID.randomUUID();
    private static final String VIEWER = "guard";
    private static final String VIEWER_PASSWORD = "guard-secret-" + UUID.randomUUID();

    @TempDir
    static Path data;
    @TempDir
    static Path profiles;
    static EmbeddedPipeline pipeline;
    static String base;
    static Path johns;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        Browser.require();
        johns = SharedData.require("faces-dev/dlib_johns");
        // Accounts are facestream.security.users.<name>.password-hash (PBKDF2) and .roles.
        Map<String, Object> users = new HashMap<>(EmbeddedPipeline.account(OPERATOR, OPERATOR_PASSWORD, "operator"));
        users.putAll(EmbeddedPipeline.account(VIEWER, VIEWER_PASSWORD, "viewer"));
        // A short retraining, so the Models tab's job runs to its end within the test.
        users.put("facestream.retrainer.steps", 2);
        users.put("facestream.retrainer.batch-size", 4);
        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, users);
        base = pipeline.baseUrl().replaceAll("/$", "");
        browser = Browser.start(profiles.resolve("operator"));
        logIn(browser, OPERATOR, OPERATOR_PASSWORD);
    }

    @AfterAll
    static void stop() {
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
    @Order(1)
    void aWrongPasswordIsRefusedAndTheHeaderShowsWhoIsSignedIn() throws Exception {
        // The page finds out it is signed out from a 401 of fetch(); with a Basic challenge in that answer
        // Chromium waits for credentials instead (headless: forever; with a screen: its own password dialog).
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isEmpty(),
                "401 without a Basic challenge (micronaut.security.basic-auth.www-authenticate=false), got "
                        + anonymous.headers().firstValue("WWW-Authenticate").orElse(""));

        WebDriver other = Browser.start(profiles.resolve("wrong-password"));
        try {
            other.get(base + "/");
            wait(other, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/login.html"));
            other.findElement(By.id("username")).sendKeys(OPERATOR);
            other.findElement(By.id("password")).sendKeys("not-the-password");
            other.findElement(By.id("login-submit")).click();
            wait(other, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=login-error]")));
            assertTrue(other.getCurrentUrl().contains("error=1"), other.getCurrentUrl());
        } finally {
            other.quit();
        }
        assertEquals(OPERATOR, text(browser, "user-name"));
        assertEquals("operator", text(browser, "user-role"));
    }

    @Test
    @Order(2)
    void aFrameOfAnEnrolledPersonAppearsLiveWithTheRightName() throws Exception {
        List<Path> photos = photosOf("John_Simm");
        enroll("John_Simm", photos.subList(0, 2));
        showTab(browser, "live");
        showLiveView(browser, "matches");
        long sent = System.nanoTime();
        String frameId = publishFrame("cam-live", photos.get(2));
        WebElement card = wait(browser, PIPELINE).withMessage(() -> "no live match for frame " + frameId + "; "
                + diagnose("cam-live")).until(ExpectedConditions.presenceOfElementLocated(matchOf(frameId)));
        System.out.printf("live: the match appeared %d ms after the frame was posted%n",
                Duration.ofNanos(System.nanoTime() - sent).toMillis());
        assertEquals("live", browser.findElement(By.cssSelector("[data-testid=stream-status]"))
                .getAttribute("data-status"), "the stream is connected");
        assertEquals("KNOWN", card.getAttribute("data-decision"));
        assertEquals("John_Simm", card.findElement(By.cssSelector("[data-testid=match-name]")).getText());
        assertEquals("cam-live", card.findElement(By.cssSelector("[data-testid=match-camera]")).getText());
        assertTrue(card.findElement(By.cssSelector("[data-testid=match-score]")).getText().matches("cos 0\\.\\d{3}"));

        // It came over the stream, not a reload, and the filters keep or hide it.
        Select decision = new Select(browser.findElement(By.id("live-decision")));
        decision.selectByValue("UNKNOWN");
        assertTrue(browser.findElements(matchOf(frameId)).isEmpty(), "the UNKNOWN filter hides a KNOWN match");
        decision.selectByValue("KNOWN");
        new Select(browser.findElement(By.id("live-camera"))).selectByValue("cam-live");
        assertEquals(1, browser.findElements(matchOf(frameId)).size());
        new Select(browser.findElement(By.id("live-camera"))).selectByValue("");
        decision.selectByValue("");
        Browser.screenshot(browser, "live-matches");
    }

    @Test
    @Order(3)
    void anUnknownFaceIsQueuedForReviewAndOneRelabelMakesOneFeedbackRecord() throws Exception {
        String target = enroll("John_Schneider", photosOf("John_Schneider").subList(0, 2));
        String frameId = publishFrame("cam-review", stranger("stock_emotions_a"));

        showTab(browser, "review");
        WebElement item = waitForReviewItem(browser, frameId);
        String faceId = faceIdOf(item);
        assertEquals("UNKNOWN", item.findElement(By.cssSelector("[data-testid=decision]")).getText());
        new Select(item.findElement(By.cssSelector("[data-testid=relabel-select]"))).selectByValue(target);
        WebElement relabel = item.findElement(By.cssSelector("[data-testid=relabel]"));
        new Actions(browser).doubleClick(relabel).perform(); // the page must send this once
        assertTrue(!relabel.isEnabled(), "the item's buttons are disabled once a verdict is sent");
        WebElement result = item.findElement(By.cssSelector("[data-testid=review-result]"));
        wait(browser, Duration.ofSeconds(15)).until(d -> result.getText().startsWith("Saved"));
        assertTrue(result.getText().contains("John_Schneider"), result.getText());
        Browser.screenshot(browser, "review");

        List<Feedback> records = feedbackFor(faceId);
        assertEquals(1, records.size(), "exactly one feedback record for the face: " + records);
        assertEquals(Verdict.RELABEL, records.get(0).getVerdict());
        assertEquals(target, records.get(0).getIdentityId());
        assertEquals(OPERATOR, records.get(0).getOperator());
    }

    @Test
    @Order(4)
    void deletingAnIdentityThroughTheDialogMakesItsNextFaceUnknown() throws Exception {
        List<Path> photos = photosOf("John_Salley");
        String id = enroll("John_Salley", photos.subList(0, 2));
        showTab(browser, "live");
        showLiveView(browser, "matches");
        String before = publishFrame("cam-delete", photos.get(2));
        WebElement known = wait(browser, PIPELINE).until(ExpectedConditions.presenceOfElementLocated(matchOf(before)));
        assertEquals("KNOWN", known.getAttribute("data-decision"));

        showTab(browser, "identities");
        WebElement search = browser.findElement(By.id("identity-search"));
        search.clear();
        search.sendKeys("salley");
        By row = By.cssSelector("[data-testid=identity-row][data-identity-id='" + id + "']");
        WebElement salley = wait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(row));
        assertEquals(1, browser.findElements(By.cssSelector("[data-testid=identity-row]")).size(),
                "the search box filters the list");
        salley.findElement(By.cssSelector("[data-testid=identity-delete]")).click();
        WebElement dialog = wait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.id("confirm-modal")));
        assertTrue(dialog.getText().contains("John_Salley"), dialog.getText());
        Browser.screenshot(browser, "identities-confirm");
        dialog.findElement(By.id("confirm-ok")).click();
        wait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.invisibilityOfElementLocated(row));
        assertEquals(404, send("DELETE", "/api/v1/identities/" + id, null, null, OPERATOR, OPERATOR_PASSWORD)
                .statusCode(), "the identity is gone");
        search.clear();
        search.sendKeys(" ");
        Browser.screenshot(browser, "identities");

        showTab(browser, "live");
        showLiveView(browser, "matches");
        String after = publishFrame("cam-delete", photos.get(3));
        WebElement unknown = wait(browser, PIPELINE).until(ExpectedConditions.presenceOfElementLocated(matchOf(after)));
        assertEquals("UNKNOWN", unknown.getAttribute("data-decision"));
        assertEquals("Unknown", unknown.findElement(By.cssSelector("[data-testid=match-name]")).getText());
    }

    @Test
    @Order(5)
    void aViewerSeesTheQueueButCannotLabel() throws Exception {
        String frameId = publishFrame("cam-viewer", stranger("stock_emotions_b"));
        WebDriver viewer = Browser.start(profiles.resolve("viewer"));
        try {
            logIn(viewer, VIEWER, VIEWER_PASSWORD);
            assertEquals("viewer", text(viewer, "user-role"));
            showTab(viewer, "review");
            WebElement item = waitForReviewItem(viewer, frameId);
            assertTrue(item.findElements(By.cssSelector("button, select, input")).isEmpty(),
                    "a viewer gets no labelling controls");
            Browser.screenshot(viewer, "review-viewer");
            showTab(viewer, "identities");
            assertTrue(viewer.findElements(By.id("identity-create")).isEmpty());
            assertTrue(viewer.findElements(By.cssSelector("[data-testid=identity-delete]")).isEmpty());

            String faceId = faceIdOf(item);
            String body = JSON.writeValueAsString(Map.of("faceId", faceId, "verdict", "NOT_THIS_PERSON"));
            HttpResponse<String> refused = send("POST", "/api/v1/feedback", body.getBytes(StandardCharsets.UTF_8),
                    "application/json", VIEWER, VIEWER_PASSWORD);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(feedbackFor(faceId).isEmpty(), "a refused verdict writes nothing");
        } finally {
            viewer.quit();
        }
    }

    @Test
    @Order(6)
    void camerasCanBeRetunedAndStatsAreCharted() throws Exception {
        showTab(browser, "cameras");
        By row = By.cssSelector("[data-testid=camera-row][data-camera-id='cam-live']");
        WebElement camera = wait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(row));
        WebElement threshold = camera.findElement(By.cssSelector("[data-testid=camera-threshold]"));
        threshold.clear();
        threshold.sendKeys("0.61");
        camera.findElement(By.cssSelector("[data-testid=camera-save]")).click();
        WebElement message = camera.findElement(By.cssSelector("[data-testid=camera-message]"));
        wait(browser, Duration.ofSeconds(10)).until(d -> message.getText().equals("Saved"));
        JsonNode cameras = JSON.readTree(send("GET", "/api/v1/cameras", null, null, VIEWER, VIEWER_PASSWORD).body());
        double saved = Double.NaN;
        for (JsonNode c : cameras) {
            if (c.get("cameraId").asText().equals("cam-live")) {
                saved = c.get("threshold").asDouble();
            }
        }
        assertEquals(0.61, saved, 1e-9);
        Browser.screenshot(browser, "cameras");

        showTab(browser, "stats");
        wait(browser, Duration.ofSeconds(15)).until(d -> "true".equals(
                d.findElement(By.tagName("body")).getAttribute("data-stats-drawn")));
        assertTrue(Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return typeof Chart !== 'undefined' && !!Chart.getChart('chart-scores');")),
                "Chart.js is served from /vendor and draws the score chart");
        Browser.screenshot(browser, "stats");
    }

    @Test
    @Order(7)
    void anOperatorStartsARetrainingAndWatchesItToTheGatesDecision() throws Exception {
        // Enrollment photos are labelled faces: two people with seven each give two held-out faces apiece.
        enroll("John_Savage", photosOf("John_Savage").subList(0, 7));
        enroll("John_Salley", photosOf("John_Salley").subList(0, 7));
        showTab(browser, "models");
        WebElement serving = browser.findElement(By.cssSelector("[data-testid=models-serving]"));
        wait(browser, Duration.ofSeconds(10)).until(d -> serving.getText().startsWith("mobilefacenet-"));
        String servingBefore = serving.getText();
        browser.findElement(By.cssSelector("[data-testid=models-retrain]")).click();
        By finished = By.cssSelector("[data-testid=job-row][data-state=ACTIVATED], "
                + "[data-testid=job-row][data-state=REJECTED]");
        WebElement job = wait(browser, Duration.ofMinutes(3)).pollingEvery(Duration.ofSeconds(1))
                .withMessage(() -> "the job did not finish: jobs '" + browser.findElement(By.id("job-rows")).getText()
                        + "', message '" + text(browser, "models-message") + "', errors " + browser.findElements(
                                By.cssSelector("[data-testid=load-error]")).stream().map(WebElement::getText).toList())
                .until(ExpectedConditions.presenceOfElementLocated(finished));
        String state = job.getAttribute("data-state");
        assertTrue(job.findElement(By.cssSelector("[data-testid=job-decision]")).getText().contains("macro-F1"),
                "the gate's reason is shown");
        WebElement version = wait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=version-row]")));
        assertEquals(state.equals("ACTIVATED") ? "ACTIVE" : "REJECTED",
                version.findElement(By.cssSelector("[data-testid=version-status]")).getText());
        assertEquals(state.equals("ACTIVATED"), !serving.getText().equals(servingBefore),
                "the serving version changes exactly when the candidate was activated");
        Browser.screenshot(browser, "models");
    }

    /** The sighting of {@link #aSightingCardUpdatesInPlaceAndShowsItsSnapshot}, labelled by the next test. */
    static String visit;
    static List<String> visitFaces = new ArrayList<>();

    @Test
    @Order(8)
    void aSightingCardUpdatesInPlaceAndShowsItsSnapshot() throws Exception {
        // Two frames of a stranger through the pipeline: the dashboard has their crops and the frames.
        List<Path> photos = strangerPhotos("stock_emotions_b");
        String frameA = publishFrame("cam-visit", photos.get(1));
        String frameB = publishFrame("cam-visit", photos.get(2));
        List<JsonNode> faces = new ArrayList<>(awaitMatches(frameA));
        faces.addAll(awaitMatches(frameB));
        visit = "visit-" + UUID.randomUUID();
        String hall = "visit-" + UUID.randomUUID();
        String best = faces.get(0).get("faceId").asText();
        try (TrackerStandIn tracker = new TrackerStandIn(pipeline.adminClientConfig(), TOPICS)) {
            BoundingBox box = tracker.boxOf(best).orElseThrow(() -> new AssertionError("no box for " + best));
            tracker.track(faces.get(0), visit);
            visitFaces.add(best);
            showTab(browser, "live");
            showLiveView(browser, "sightings");
            Instant now = Instant.now();
            tracker.write(TrackerStandIn.sighting(visit, "cam-visit", 0, 0, best, frameA).setFirstSeenAt(now)
                    .setLastSeenAt(now).setUpdatedAt(now).setBestBox(box).build());
            By card = By.cssSelector("[data-testid=sighting][data-sighting-id='" + visit + "']");
            WebElement shown = wait(browser, Duration.ofSeconds(20)).withMessage("no card for sighting " + visit)
                    .until(ExpectedConditions.presenceOfElementLocated(card));
            assertEquals("live", browser.findElement(By.id("sighting-stream-status")).getAttribute("data-status"));
            assertEquals("OPEN", shown.findElement(By.cssSelector("[data-testid=sighting-state]")).getText());
            assertEquals("1 face", shown.findElement(By.cssSelector("[data-testid=sighting-faces]")).getText());
            assertEquals("UNKNOWN", shown.getAttribute("data-decision"));
            assertEquals("Unknown", shown.findElement(By.cssSelector("[data-testid=sighting-name]")).getText());
            assertEquals("cam-visit", shown.findElement(By.cssSelector("[data-testid=sighting-camera]")).getText());

            // The track goes on: its second face, then the track closes. The same card changes.
            for (JsonNode face : faces.subList(1, faces.size())) {
                tracker.track(face, visit);
                visitFaces.add(face.get("faceId").asText());
            }
            Instant later = now.plusSeconds(4);
            tracker.write(TrackerStandIn.sighting(visit, "cam-visit", 0, 0, best, frameA).setFirstSeenAt(now)
                    .setLastSeenAt(later).setUpdatedAt(later).setBestBox(box).setFaceCount(visitFaces.size())
                    .setState(SightingState.CLOSED).build());
            wait(browser, Duration.ofSeconds(20)).withMessage("the card did not change in place")
                    .until(d -> String.valueOf(visitFaces.size()).equals(shown.getAttribute("data-face-count")));
            // Another camera's visit by a known person, for the filters.
            tracker.write(TrackerStandIn.sighting(hall, "cam-hall", 0, 0, best, frameA).setFirstSeenAt(now)
                    .setLastSeenAt(now).setUpdatedAt(now).setDecision(Decision.KNOWN).setIdentityId("someone")
                    .setName("Someone").setScore(0.81).setMargin(0.4).build());
        }
        By hallCard = By.cssSelector("[data-testid=sighting][data-sighting-id='" + hall + "']");
        wait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(hallCard));
        By card = By.cssSelector("[data-testid=sighting][data-sighting-id='" + visit + "']");
        assertEquals(1, browser.findElements(card).size(), "one card per sighting");
        WebElement shown = browser.findElement(card);
        assertEquals("CLOSED", shown.findElement(By.cssSelector("[data-testid=sighting-state]")).getText());
        assertEquals(visitFaces.size() + " faces", shown.findElement(By.cssSelector("[data-testid=sighting-faces]"))
                .getText());
        assertEquals("4 s", shown.findElement(By.cssSelector("[data-testid=sighting-duration]")).getText());

        // Filters keep or hide it.
        Select decision = new Select(browser.findElement(By.id("live-decision")));
        decision.selectByValue("KNOWN");
        assertTrue(browser.findElements(card).isEmpty(), "the KNOWN filter hides an UNKNOWN sighting");
        assertEquals(1, browser.findElements(hallCard).size());
        decision.selectByValue("");
        Select camera = new Select(browser.findElement(By.id("live-camera")));
        camera.selectByValue("cam-hall");
        assertTrue(browser.findElements(card).isEmpty(), "another camera's filter hides it");
        camera.selectByValue("cam-visit");
        assertEquals(1, browser.findElements(card).size());
        assertTrue(browser.findElements(hallCard).isEmpty());
        camera.selectByValue("");
        Browser.screenshot(browser, "live");

        // Its snapshot: the frame of the best face, with the box.
        browser.findElement(card).click();
        WebElement modal = wait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(
                By.id("snapshot-modal")));
        wait(browser, Duration.ofSeconds(20)).withMessage(() -> "the frame did not load: "
                + browser.findElement(By.id("snapshot-note")).getText())
                .until(d -> "frame".equals(modal.getAttribute("data-loaded")));
        WebElement box = browser.findElement(By.id("snapshot-box"));
        assertTrue(box.isDisplayed(), "the best face's box is drawn");
        assertTrue(box.getSize().getWidth() > 5 && box.getSize().getHeight() > 5, "box " + box.getSize());
        Browser.screenshot(browser, "snapshot");
        browser.findElement(By.id("snapshot-close")).click();
        wait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.invisibilityOf(modal));
    }

    @Test
    @Order(9)
    void labellingASightingFromTheReviewQueueWritesOneFeedbackPerFace() throws Exception {
        assertTrue(visit != null, "needs the sighting of the previous test");
        showTab(browser, "review");
        By itemOf = By.cssSelector("[data-testid=sighting-review-item][data-sighting-id='" + visit + "']");
        WebElement item = wait(browser, Duration.ofSeconds(20)).pollingEvery(Duration.ofSeconds(1))
                .withMessage("sighting " + visit + " is not in the review queue").until(d -> {
                    List<WebElement> found = d.findElements(itemOf);
                    if (found.isEmpty()) {
                        d.findElement(By.id("review-refresh")).click();
                        return null;
                    }
                    return found.get(0);
                });
        assertEquals("nobody recognised", item.findElement(By.cssSelector("[data-testid=review-reason]")).getText());
        String name = "Visitor " + visit.substring(6, 14);
        item.findElement(By.cssSelector("[data-testid=new-identity-name]")).sendKeys(name);
        WebElement create = item.findElement(By.cssSelector("[data-testid=new-identity]"));
        new Actions(browser).doubleClick(create).perform(); // the page must send this once
        WebElement result = item.findElement(By.cssSelector("[data-testid=review-result]"));
        wait(browser, Duration.ofSeconds(15)).until(d -> result.getText().startsWith("Saved"));
        assertTrue(result.getText().contains(visitFaces.size() + " faces"), result.getText());
        Browser.screenshot(browser, "review-sightings");

        String identity = null;
        for (String faceId : visitFaces) {
            List<Feedback> records = feedbackFor(faceId);
            assertEquals(1, records.size(), "exactly one feedback record for face " + faceId + ": " + records);
            assertEquals(Verdict.NEW_IDENTITY, records.get(0).getVerdict());
            identity = identity == null ? records.get(0).getIdentityId() : identity;
            assertEquals(identity, records.get(0).getIdentityId(), "one new identity for the whole sighting");
        }
    }

    @Test
    @Order(10)
    void droppingAPhotoOnTheSearchTabShowsWhereAndWhenThePersonWasSeen() throws Exception {
        List<Path> photos = photosOf("John_Simm");
        String frameId = publishFrame("cam-search", photos.get(3));
        awaitMatches(frameId);
        showTab(browser, "search");
        By hitOf = By.cssSelector("[data-testid=search-hit][data-face-id^='" + frameId + "']");

        // Drop: the frame as the camera sent it, fetched by the page and dropped as a file onto the zone.
        ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/frames/' + arguments[0] + '/image', { credentials: 'same-origin' })
                  .then((r) => r.blob())
                  .then((blob) => {
                    const transfer = new DataTransfer();
                    transfer.items.add(new File([blob], 'dropped.jpg', { type: 'image/jpeg' }));
                    document.getElementById('search-drop').dispatchEvent(
                      new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                    done(true);
                  }, (e) => done(String(e)));
                """, frameId);
        WebElement hit = wait(browser, Duration.ofSeconds(20)).withMessage(() -> "no search hit for frame " + frameId
                + "; message: " + browser.findElement(By.id("search-message")).getText())
                .until(ExpectedConditions.presenceOfElementLocated(hitOf));
        assertEquals("cam-search", hit.findElement(By.cssSelector("[data-testid=search-hit-camera]")).getText());
        String score = hit.findElement(By.cssSelector("[data-testid=search-hit-score]")).getText();
        assertTrue(score.matches("cos (0\\.9\\d\\d|1\\.000)"), "the dropped frame is that face: " + score);
        assertFalse(hit.findElement(By.cssSelector("[data-testid=search-hit-time]")).getText().isBlank());
        assertTrue(hit.findElement(By.cssSelector("[data-testid=thumbnail]")).getAttribute("src")
                .endsWith("/api/v1/faces/" + hit.getAttribute("data-face-id") + "/crop.png"));
        assertTrue(text(browser, "search-message").contains("dropped.jpg"));
        assertTrue(text(browser, "search-windows").startsWith("Searched: mobilefacenet-"));

        // Choose: another photo of him finds the same frame (and the one of the Live test, on cam-live).
        browser.findElement(By.id("search-file")).sendKeys(photos.get(4).toAbsolutePath().toString());
        wait(browser, Duration.ofSeconds(20)).until(d -> text(d, "search-message").contains(
                photos.get(4).getFileName().toString()) && !d.findElements(hitOf).isEmpty());
        List<String> cameras = browser.findElements(By.cssSelector("[data-testid=search-hit-camera]")).stream()
                .map(WebElement::getText).toList();
        assertTrue(cameras.contains("cam-search") && cameras.contains("cam-live"), cameras.toString());
        Browser.screenshot(browser, "search");
    }

    @Test
    @Order(11)
    void namingAClusterOfUnknownFacesFromTheReviewTabLabelsEachOfItsFaces() throws Exception {
        // Nobody enrolled John Shimkus: his frames are UNKNOWN and group into one cluster.
        List<String> faces = new ArrayList<>();
        List<Path> photos = photosOf("John_Shimkus");
        for (int i = 0; i < 5; i++) {
            String frameId = publishFrame(i % 2 == 0 ? "cam-a" : "cam-b", photos.get(i));
            awaitMatches(frameId).forEach(m -> faces.add(m.get("faceId").asText()));
        }
        String clusterId = wait(browser, PIPELINE).pollingEvery(Duration.ofSeconds(1))
                .withMessage("no cluster of John Shimkus's faces " + faces).until(d -> {
                    try {
                        for (JsonNode k : JSON.readTree(send("GET", "/api/v1/clusters?limit=100", null, null, OPERATOR,
                                OPERATOR_PASSWORD).body()).get("items")) {
                            for (JsonNode f : k.get("faceIds")) {
                                if (faces.contains(f.asText()) && k.get("size").asInt() >= 3) {
                                    return k.get("clusterId").asText();
                                }
                            }
                        }
                        return null;
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        showTab(browser, "review");
        By itemOf = By.cssSelector("[data-testid=cluster-item][data-cluster-id='" + clusterId + "']");
        WebElement item = wait(browser, Duration.ofSeconds(20)).pollingEvery(Duration.ofSeconds(1))
                .withMessage("cluster " + clusterId + " is not on the Review tab").until(d -> {
                    List<WebElement> found = d.findElements(itemOf);
                    if (found.isEmpty()) {
                        d.findElement(By.id("review-refresh")).click();
                        return null;
                    }
                    return found.get(0);
                });
        assertTrue(!item.findElements(By.cssSelector("[data-testid=cluster-crop]")).isEmpty(), "its best faces show");
        int size = Integer.parseInt(item.getAttribute("data-size"));
        item.findElement(By.cssSelector("[data-testid=cluster-name-input]")).sendKeys("John Shimkus");
        WebElement name = item.findElement(By.cssSelector("[data-testid=cluster-name]"));
        new Actions(browser).doubleClick(name).perform(); // the page must send this once
        WebElement result = item.findElement(By.cssSelector("[data-testid=cluster-result]"));
        wait(browser, Duration.ofSeconds(20)).until(d -> result.getText().startsWith("Named"));
        assertTrue(result.getText().contains(size + " faces labelled"), result.getText());
        Browser.screenshot(browser, "review-clusters");

        JsonNode named = JSON.readTree(send("GET", "/api/v1/clusters/" + clusterId, null, null, OPERATOR,
                OPERATOR_PASSWORD).body());
        String identity = named.get("identityId").asText();
        for (JsonNode f : named.get("faceIds")) {
            List<Feedback> records = feedbackFor(f.asText());
            assertEquals(1, records.size(), "exactly one feedback record for face " + f + ": " + records);
            assertEquals(Verdict.NEW_IDENTITY, records.get(0).getVerdict());
            assertEquals(identity, records.get(0).getIdentityId(), "one new identity for the whole cluster");
        }
    }

    // ---- the browser ----

    private static void logIn(WebDriver driver, String user, String password) {
        driver.get(base + "/");
        // Not signed in: the page sends us to the form.
        wait(driver, Duration.ofSeconds(15)).withMessage("the page did not send an anonymous visitor to the login "
                + "form; does /api/v1/me answer 401 with a WWW-Authenticate: Basic challenge? Chromium then waits for "
                + "credentials instead of handing the 401 to the page")
                .until(ExpectedConditions.urlContains("/login.html"));
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait(driver, Duration.ofSeconds(20))
                // the login page's body may be replaced between finding it and reading it
                .ignoring(StaleElementReferenceException.class).until(d -> "true".equals(
                d.findElement(By.tagName("body")).getAttribute("data-ready")));
        assertEquals(user, text(driver, "user-name"));
    }

    /** Live's sightings or raw matches. */
    private static void showLiveView(WebDriver driver, String view) {
        driver.findElement(By.id("live-view-" + view)).click();
        wait(driver, Duration.ofSeconds(5)).until(d -> view.equals(d.findElement(By.tagName("body"))
                .getAttribute("data-live-view")));
    }

    private static String faceIdOf(WebElement reviewItem) {
        String face = reviewItem.getAttribute("data-face-id");
        return face != null ? face : reviewItem.getAttribute("data-best-face-id");
    }

    private static void showTab(WebDriver driver, String tab) {
        driver.findElement(By.id("tab-" + tab)).click();
        wait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-" + tab)));
    }

    /**
     * The review item of a frame's face: the face's own, or (the tracker makes every face part of a sighting)
     * that of the sighting whose best face it is.
     */
    private static WebElement waitForReviewItem(WebDriver driver, String frameId) {
        By item = By.cssSelector("[data-testid=review-item][data-face-id^='" + frameId + "'], "
                + "[data-testid=sighting-review-item][data-best-face-id^='" + frameId + "']");
        return wait(driver, PIPELINE).pollingEvery(Duration.ofSeconds(1)).withMessage(() -> "no review item for frame "
                + frameId + "; " + diagnose(null)).until(d -> {
            List<WebElement> found = d.findElements(item);
            if (found.isEmpty()) {
                d.findElement(By.id("review-refresh")).click();
                return null;
            }
            return found.get(0);
        });
    }

    /** What the API says, for a failure message. */
    private static String diagnose(String camera) {
        try {
            StringBuilder out = new StringBuilder("recent matches:");
            for (JsonNode m : JSON.readTree(send("GET", "/api/v1/matches?limit=20", null, null, OPERATOR,
                    OPERATOR_PASSWORD).body())) {
                if (camera == null || camera.equals(m.path("cameraId").asText())) {
                    out.append(' ').append(m.path("faceId").asText()).append('/').append(m.path("cameraId").asText())
                            .append('/').append(m.path("decision").asText());
                }
            }
            out.append("; review queue:");
            for (JsonNode m : JSON.readTree(send("GET", "/api/v1/review?limit=20", null, null, OPERATOR,
                    OPERATOR_PASSWORD).body())) {
                out.append(' ').append(m.path("faceId").asText());
            }
            return out.toString();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "(API unreadable: " + e + ")";
        }
    }

    /** A face of the given frame in the live list (face id = frame id + "-" + index). */
    private static By matchOf(String frameId) {
        return By.cssSelector("[data-testid=match][data-face-id^='" + frameId + "-']");
    }

    private static String text(WebDriver driver, String id) {
        return wait(driver, Duration.ofSeconds(10)).until(d -> {
            String t = d.findElement(By.id(id)).getDomProperty("textContent").trim(); // as written, not as styled
            return t.isBlank() || t.equals("…") ? null : t;
        });
    }

    private static WebDriverWait wait(WebDriver driver, Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    // ---- the API, as a script would call it (HTTP Basic) ----

    private static String enroll(String person, List<Path> photos) throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/identities",
                JSON.writeValueAsBytes(Map.of("name", person)), "application/json", OPERATOR, OPERATOR_PASSWORD);
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("id").asText();
        for (Path photo : photos) {
            HttpResponse<String> r = send("POST", "/api/v1/identities/" + id + "/faces", Files.readAllBytes(photo),
                    "image/jpeg", OPERATOR, OPERATOR_PASSWORD);
            assertEquals(201, r.statusCode(), r.body());
        }
        return id;
    }

    private static String publishFrame(String camera, Path image) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/frames?camera=" + camera, Files.readAllBytes(image),
                "image/jpeg", OPERATOR, OPERATOR_PASSWORD);
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("frameId").asText();
    }

    private static HttpResponse<String> send(String method, String path, byte[] body, String contentType, String user,
            String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> photosOf(String person) throws IOException {
        try (Stream<Path> s = Files.list(johns.resolve(person))) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    private static List<Path> strangerPhotos(String set) throws IOException {
        try (Stream<Path> s = Files.walk(SharedData.require("faces-dev/human_samples/" + set))) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(jpe?g|png)$")).sorted()
                    .toList();
        }
    }

    /** Every match of the frame (one per face), as the matches API shows them, once there is one. */
    private static List<JsonNode> awaitMatches(String frameId) {
        return wait(browser, PIPELINE).pollingEvery(Duration.ofMillis(300)).withMessage("no match for frame " + frameId)
                .until(d -> {
                    try {
                        List<JsonNode> out = new ArrayList<>();
                        for (JsonNode m : JSON.readTree(send("GET", "/api/v1/matches?limit=200", null, null, OPERATOR,
                                OPERATOR_PASSWORD).body())) {
                            if (m.get("frameId").asText().equals(frameId)) {
                                out.add(m);
                            }
                        }
                        return out.isEmpty() ? null : out;
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /**
     * A person who is not in the gallery (PipelineIntegrationTest: never matched against the dlib Johns). Each
     * test takes another person: a relabelled face joins the gallery, so the same person would come back KNOWN.
     */
    private static Path stranger(String set) throws IOException {
        try (Stream<Path> s = Files.walk(SharedData.require("faces-dev/human_samples/" + set))) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(jpe?g|png)$")).sorted()
                    .toList().get(0);
        }
    }

    // ---- the feedback topic ----

    /** Every committed feedback record for the face: read to the first one, then 3 s more for duplicates. */
    private static List<Feedback> feedbackFor(String faceId) {
        Properties p = new Properties();
        p.putAll(pipeline.adminClientConfig()); // as the broker admin: the test reads and writes any topic
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dashboard-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Feedback> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPICS.feedback().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    Feedback f = TOPICS.feedback().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (f.getFaceId().equals(faceId)) {
                        found.add(f);
                        deadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(3).toNanos());
                    }
                }
            }
        }
        return found;
    }
}
