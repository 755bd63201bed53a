package io.facestream.services.allinone;

import io.facestream.inference.testing.SharedData;
import io.facestream.inference.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The all-in-one pipeline as the API tests run it: any free ports, an operator and a viewer account. */
final class TestPipelines {

    static final String OPERATOR = basic("op", "op-password");
    static final String VIEWER = basic("watcher", "watcher-password");

    private TestPipelines() {
    }

    static EmbeddedPipeline start(Path data) {
        SharedData.require("faces-dev");
        Map<String, Object> users = new HashMap<>(EmbeddedPipeline.account("op", "op-password", "operator"));
        users.putAll(EmbeddedPipeline.account("watcher", "watcher-password", "viewer"));
        return EmbeddedPipeline.start(data, TestModels.dir(), 0, 0, users);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
