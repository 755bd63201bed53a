package io.facestream.services.allinone.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import io.facestream.services.allinone.EmbeddedPipeline;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A signed-in operator's Chromium visits an attacker's page on another port of the same host — same site, so
 * even a {@code SameSite=Strict} cookie goes along, and Micronaut's drive-by-localhost check lets it through —
 * that posts to the API with the operator's cookie. The Origin check must refuse it. And the dashboard's
 * Content-Security-Policy stops a script injected into the page.
 */
class CrossSiteBrowserTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "op-secret-" + UUID.randomUUID();

    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    static EmbeddedPipeline pipeline;
    static String base;
    static HttpServer attacker;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.require();
        SharedData.require("faces-dev");
        pipeline = EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, EmbeddedPipeline.account("op", PASSWORD,
                "operator"));
        base = pipeline.baseUrl().replaceAll("/$", "");
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            String target = base + "/api/v1/identities";
            // fetch() without Content-Type and no-cors: a "simple" request, sent without a CORS preflight; and a
            // form that submits itself (a top-level navigation, the classic CSRF)
            String page = exchange.getRequestURI().getPath().equals("/form")
                    ? "<form id=f method=post action='" + target + "' enctype='text/plain'>"
                            + "<input name='{\"name\":\"csrf-form\",\"x\":\"' value='\"}'></form>"
                            + "<script>document.getElementById('f').submit();</script>"
                    : "<script>fetch('" + target + "', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                            + " body: '{\"name\":\"csrf-fetch\"}'}).finally(() => { document.title = 'sent'; });"
                            + "</script>";
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        browser = Browser.start(profile);
        browser.get(base + "/");
        wait(Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/login.html"));
        browser.findElement(By.id("username")).sendKeys("op");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait(Duration.ofSeconds(30))
                // the login page's body may be replaced between finding it and reading it
                .ignoring(StaleElementReferenceException.class).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (attacker != null) {
                attacker.stop(0);
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    @Test
    void anAttackersPageOnTheSameHostCannotChangeAnythingWithTheOperatorsCookie() throws Exception {
        // "localhost" with another port: same site as the dashboard, a different origin
        String evil = "http://localhost:" + attacker.getAddress().getPort();
        browser.get(evil + "/fetch");
        wait(Duration.ofSeconds(15)).until(ExpectedConditions.titleIs("sent"));
        browser.get(evil + "/form");
        wait(Duration.ofSeconds(15)).until(d -> d.getPageSource().contains("cross-site request refused"));

        String identities = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/identities"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("op:" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(identities.contains("csrf"), "the attacker created an identity: " + identities);

        // The operator's own page still changes things with the same cookie.
        browser.get(base + "/");
        wait(Duration.ofSeconds(30))
                // the login page's body may be replaced between finding it and reading it
                .ignoring(StaleElementReferenceException.class).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[0];"
                + "fetch('/api/v1/identities', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                + " body: JSON.stringify({name: 'Own page'})}).then(r => done(r.status), e => done(String(e)));");
        assertEquals(201L, status);
    }

    @Test
    void theContentSecurityPolicyStopsAnInjectedInlineScript() {
        browser.get(base + "/");
        wait(Duration.ofSeconds(30))
                // the login page's body may be replaced between finding it and reading it
                .ignoring(StaleElementReferenceException.class).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // What an XSS would do: a <script> element or an inline handler put into the page by markup.
        js.executeScript("const s = document.createElement('script'); s.textContent = 'window.injected = 1;';"
                + "document.body.append(s);"
                + "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.handler = 1\">');");
        wait(Duration.ofSeconds(5)).until(d -> js.executeScript("return document.images.length > 0"));
        assertNull(js.executeScript("return window.injected === undefined ? null : window.injected"),
                "the inline script ran");
        assertNull(js.executeScript("return window.handler === undefined ? null : window.handler"),
                "the inline handler ran");
    }

    private static WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }
}
