package io.facestream.services.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.access.AccessPolicy;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.detect.DetectorProcessor;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.retraining.dataset.FeedbackProcessor;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.ModelTrustConfig;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.detector.config.DetectorConfig;
import io.facestream.services.embedder.config.EmbedderConfig;
import io.facestream.services.matcher.config.GalleryIndexConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import io.facestream.services.matcher.config.SearchConfig;
import io.facestream.services.retrainer.config.RetrainerConfig;
import io.facestream.services.dashboard.config.DashboardConfig;
import io.facestream.services.dashboard.matcher.MatcherClientConfig;
import io.facestream.services.dashboard.models.RetrainerClientConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps the deployment files honest without Docker or a cluster: docker-compose.yml, every manifest under k8s/
 * and the image build (docker/) are parsed and compared with the code they deploy — the topics of
 * {@link Topics#specs()}, the service modules, the configuration records. A topic added to {@code Topics}, a
 * new service or a misspelt environment variable fails here with a message that says what to change.
 */
class DeploymentFilesTest {

    /** Partitions of the camera-keyed topics in compose and the k8s ConfigMap (FACESTREAM_PARTITIONS). */
    private static final int PARTITIONS = 4;

    /** Environment variables of the service containers that are not FaceStream configuration keys. */
    private static final Set<String> OTHER_ENV = Set.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
            "MALLOC_TOP_PAD_", "JAVA_TOOL_OPTIONS", "JAVA_OPTS", "MICRONAUT_SERVER_PORT",
            // the dashboard's application.yml reads it into micronaut.security (the login cookies' signing secret)
            "FACESTREAM_JWT_SECRET");

    /** Services with a public HTTP API, and the host port compose (and the k8s Service) publishes it on. */
    private static final Map<String, String> PUBLISHED = Map.of("ingest-service", "8080", "matcher-service", "8081",
            "retrainer-service", "8082", "dashboard-service", "8083");

    /** Services whose API takes uploads (frames, enrollment photos): they carry the request size limit. */
    private static final Set<String> UPLOADS = Set.of("ingest-service", "matcher-service", "dashboard-service");

    private static final String RETRAINER = "retrainer-service";

    /** Where the retrainer writes model versions; the artifact URIs on {@code models} point under it. */
    private static final String MODEL_STORE_ENV = "FACESTREAM_RETRAINER_MODEL_STORE";

    private static final String WORK_DIR_ENV = "FACESTREAM_RETRAINER_WORK_DIR";

    /** Model signing (README, "Model signing"): what loaders trust, and the retrainer's private key. */
    private static final String TRUSTED_STORE_ENV = "FACESTREAM_MODELS_STORE";
    private static final String PUBLIC_KEYS_ENV = "FACESTREAM_MODELS_PUBLIC_KEYS";
    private static final String SIGNING_KEY_ENV = "FACESTREAM_RETRAINER_SIGNING_KEY";

    /**
     * What a service module references when it loads a version announced on {@code models}: every such load
     * goes through the store and signature checks.
     */
    private static final String FOLLOWS_ACTIVE_MODELS = "TrustedModelStore";

    /** Settings of the HTTP APIs' accounts and sign-in (the matcher's and the retrainer's must be the same). */
    private static final Pattern SECURITY_ENV =
            Pattern.compile("(FACESTREAM_SECURITY|FACESTREAM_JWT|MICRONAUT_SECURITY)_.*");

    private static final Pattern CREATE_TOPIC = Pattern.compile(
            "kafka-topics\\.sh .*--create.* --topic (\\S+) --partitions (\\d+)((?: --config \\S+=\\S+)*)");
    private static final Pattern TOPIC_CONFIG = Pattern.compile(" --config (\\S+?)=(\\S+)");

    private static Path root;
    private static List<String> services;
    private static Map<String, Object> compose;
    private static Map<Path, List<Map<String, Object>>> manifests;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        try (Stream<Path> dirs = Files.list(root.resolve("services"))) {
            services = dirs.filter(d -> mainClassOf(d) != null).map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("dashboard-service", "detector-service", "embedder-service", "ingest-service",
                        "matcher-service", RETRAINER), services,
                "deployable modules (services/* with an Application main); a new one needs compose, k8s and docker/build-images.sh");
        compose = map(loadAll(root.resolve("docker-compose.yml")).get(0), "docker-compose.yml");
        manifests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("k8s"))) {
            for (Path f : files.filter(DeploymentFilesTest::isYaml).sorted().toList()) {
                manifests.put(root.resolve("k8s").relativize(f), loadAll(f));
            }
        }
    }

    // ---- topics -------------------------------------------------------------------------------------------

    @Test
    void topicInitCreatesEveryTopicOfTopicsSpecs() {
        Map<String, Object> init = map(services().get("topic-init"), "compose service topic-init");
        String script = String.valueOf(init.get("entrypoint")) + "\n" + init.get("command");
        Map<String, String> created = new TreeMap<>();
        Matcher m = CREATE_TOPIC.matcher(script);
        while (m.find()) {
            Map<String, String> configs = new TreeMap<>();
            Matcher c = TOPIC_CONFIG.matcher(m.group(3));
            while (c.find()) {
                configs.put(c.group(1), c.group(2));
            }
            String previous = created.put(m.group(1), describe(Integer.parseInt(m.group(2)), configs));
            assertNull(previous, "topic-init creates " + m.group(1) + " twice");
        }
        assertTopicsEqual(created, "docker-compose.yml service topic-init");
        assertTrue(script.contains("until ") && script.contains("kafka:9092"), "topic-init waits for the broker");
        Map<String, Object> depends = map(init.get("depends_on"), "topic-init depends_on");
        assertEquals("service_healthy", map(depends.get("kafka"), "depends_on kafka").get("condition"));
    }

    @Test
    void kafkaTopicResourcesEqualTopicsSpecs() {
        Map<String, String> declared = new TreeMap<>();
        for (Map<String, Object> doc : kinds("KafkaTopic")) {
            Map<String, Object> spec = map(doc.get("spec"), "KafkaTopic spec");
            String name = (String) spec.getOrDefault("topicName", metadata(doc).get("name"));
            Map<String, Object> config = map(spec.getOrDefault("config", Map.of()), "KafkaTopic config");
            Map<String, String> configs = new TreeMap<>();
            config.forEach((k, v) -> configs.put(k, String.valueOf(v)));
            String previous = declared.put(name, describe(((Number) spec.get("partitions")).intValue(), configs));
            assertNull(previous, "KafkaTopic for " + name + " declared twice");
            assertEquals("facestream", labels(doc).get("strimzi.io/cluster"), "KafkaTopic " + name + " cluster label");
        }
        assertTopicsEqual(declared, "k8s KafkaTopic resources");
    }

    @Test
    void strimziClusterIsKraftWithoutAutoCreation() {
        List<Map<String, Object>> kafkas = kinds("Kafka");
        assertEquals(1, kafkas.size(), "one Strimzi Kafka resource");
        Map<String, Object> kafka = kafkas.get(0);
        assertEquals("facestream", metadata(kafka).get("name"));
        Map<String, Object> spec = map(map(kafka.get("spec"), "Kafka spec").get("kafka"), "Kafka spec.kafka");
        assertEquals(false, map(spec.get("config"), "Kafka config").get("auto.create.topics.enable"));
        assertFalse(map(kafka.get("spec"), "Kafka spec").containsKey("zookeeper"), "KRaft: no ZooKeeper");
        List<Map<String, Object>> pools = kinds("KafkaNodePool");
        assertFalse(pools.isEmpty(), "a KafkaNodePool");
        Set<Object> roles = new TreeSet<>();
        for (Map<String, Object> pool : pools) {
            assertEquals("facestream", labels(pool).get("strimzi.io/cluster"));
            roles.addAll(list(map(pool.get("spec"), "KafkaNodePool spec").get("roles"), "roles"));
        }
        assertEquals(Set.of("broker", "controller"), roles, "node pools provide KRaft controllers and brokers");
        assertEquals("facestream-kafka-bootstrap:9092", configMapData().get("FACESTREAM_BOOTSTRAP_SERVERS"),
                "the ConfigMap points at the Strimzi bootstrap service of cluster 'facestream'");

        Map<String, Object> env = map(map(services().get("kafka"), "compose kafka").get("environment"), "kafka env");
        assertEquals("false", String.valueOf(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")), "compose broker auto-create");
        assertTrue(String.valueOf(env.get("KAFKA_PROCESS_ROLES")).contains("controller"), "compose broker is KRaft");
    }

    // ---- Kafka logins and ACLs ----------------------------------------------------------------------------

    private static final Pattern KAFKA_ACL = Pattern.compile("kafka-acls\\.sh .*--add --allow-principal (\\S+)(.*)");
    private static final Pattern ACL_OPERATION = Pattern.compile("--operation (\\S+)");
    private static final Pattern ACL_RESOURCE = Pattern.compile("--(topic|group|transactional-id) (\\S+)");

    /** "TOPIC frames LITERAL READ": one allowed operation on one resource pattern, in Kafka's own names. */
    private static String acl(String type, String name, String pattern, String operation) {
        return type.toUpperCase().replace('-', '_') + " " + name + " " + pattern.toUpperCase() + " "
                + operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }

    private static Set<String> expectedAcls(ServicePrincipal principal) {
        return new AccessPolicy(new Topics(PARTITIONS)).bindings(principal).stream()
                .map(b -> acl(b.pattern().resourceType().name(), b.pattern().name(), b.pattern().patternType().name(),
                        b.entry().operation().name()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static ServicePrincipal principalOf(String service) {
        return ServicePrincipal.valueOf(service.replace("-service", "").toUpperCase());
    }

    @Test
    void kafkaLoginsAreEachServicesOwnWithExactlyItsAcls() {
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        Map<String, Map<String, Object>> users = byName(kinds("KafkaUser"));
        String init = String.valueOf(map(services().get("topic-init"), "topic-init").get("command"));
        Map<String, Set<String>> composeAcls = new TreeMap<>();
        for (String line : init.split("\n")) {
            Matcher m = KAFKA_ACL.matcher(line);
            if (m.find()) {
                String rest = m.group(2);
                String pattern = rest.contains("--resource-pattern-type prefixed") ? "PREFIXED" : "LITERAL";
                // one line may name several resources and operations: each operation on each resource
                Matcher r = ACL_RESOURCE.matcher(rest);
                int resources = 0;
                while (r.find()) {
                    resources++;
                    Matcher op = ACL_OPERATION.matcher(rest);
                    while (op.find()) {
                        composeAcls.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                                .add(acl(r.group(1).replace("transactional-id", "transactional_id"), r.group(2),
                                        pattern, op.group(1)));
                    }
                }
                assertTrue(resources > 0, "a resource in " + line);
            }
        }
        for (String service : services) {
            ServicePrincipal principal = principalOf(service);
            String user = principal.username();
            Map<String, Object> env = stringMap(composeService(service).get("environment"), service);
            assertEquals(user, env.get("FACESTREAM_KAFKA_USERNAME"), service + ": compose Kafka user");
            assertTrue(String.valueOf(env.get("FACESTREAM_KAFKA_PASSWORD")).startsWith("${"),
                    service + ": the compose password comes from the env file, never the file itself");
            assertTrue(init.contains("--entity-name " + user + " --add-config \"SCRAM-SHA-512=[iterations=4096,password=$${"),
                    "topic-init makes the SCRAM user " + user);
            assertEquals(expectedAcls(principal), composeAcls.getOrDefault(principal.principal(), Set.of()),
                    "topic-init's ACLs of " + user + " and AccessPolicy differ");

            Map<String, Object> container = firstContainer(deployments.get(service));
            assertEquals(user, env(container).get("FACESTREAM_KAFKA_USERNAME").get("value"), service + ": k8s user");
            String file = String.valueOf(env(container).get("FACESTREAM_KAFKA_PASSWORD_FILE").get("value"));
            assertTrue(String.valueOf(podSpec(deployments.get(service)).get("volumes"))
                    .contains("secretName=" + user + ","), service + " mounts the Secret of its KafkaUser");
            assertTrue(mounts(deployments.get(service)).stream().anyMatch(mnt -> file.startsWith(mnt.path() + "/")
                    && mnt.readOnly()), service + ": " + file + " is on a read-only mount");

            Map<String, Object> spec = map(map(users.get(user), "KafkaUser " + user).get("spec"), user + " spec");
            assertEquals("scram-sha-512", map(spec.get("authentication"), "authentication").get("type"), user);
            Map<String, Object> authorization = map(spec.get("authorization"), "authorization");
            assertEquals("simple", authorization.get("type"), user);
            Set<String> declared = new TreeSet<>();
            for (Object a : list(authorization.get("acls"), user + " acls")) {
                Map<String, Object> resource = map(map(a, "acl").get("resource"), "resource");
                String pattern = "prefix".equals(resource.get("patternType")) ? "PREFIXED" : "LITERAL";
                String type = String.valueOf(resource.get("type")).replace("transactionalId", "transactional_id");
                for (Object op : list(map(a, "acl").get("operations"), "operations")) {
                    declared.add(acl(type, String.valueOf(resource.get("name")), pattern, String.valueOf(op)));
                }
            }
            assertEquals(expectedAcls(principal), declared, "KafkaUser " + user + " and AccessPolicy differ");
        }
        assertEquals(services.stream().map(s -> principalOf(s).username()).collect(Collectors.toSet()),
                users.keySet(), "one KafkaUser per deployed service, and no other");
    }

    @Test
    void brokersTakeOnlyLoginsAndDenyWithoutAnAcl() {
        Map<String, Object> env = map(map(services().get("kafka"), "compose kafka").get("environment"), "kafka env");
        assertFalse(String.valueOf(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).matches(".*:(PLAINTEXT|SSL)(,|$).*"),
                "compose: every listener authenticates");
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", env.get("KAFKA_AUTHORIZER_CLASS_NAME"));
        assertEquals("false", String.valueOf(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")));
        Map<String, Object> kafka = map(map(kinds("Kafka").get(0).get("spec"), "Kafka spec").get("kafka"), "spec.kafka");
        assertEquals("simple", map(kafka.get("authorization"), "authorization").get("type"));
        for (Object l : list(kafka.get("listeners"), "listeners")) {
            Map<String, Object> listener = map(l, "listener");
            assertEquals("scram-sha-512", map(listener.get("authentication"), "listener authentication").get("type"),
                    "Strimzi listener " + listener.get("name"));
            assertNotNull(listener.get("networkPolicyPeers"),
                    "listener " + listener.get("name") + ": only FaceStream pods may connect (NetworkPolicy)");
        }
        assertEquals("SASL_SSL", configMapData().get("FACESTREAM_KAFKA_SECURITY_PROTOCOL"));
    }

    @Test
    void theAccessPolicyNamesTheGroupsTheCodeUses() throws Exception {
        AccessPolicy policy = new AccessPolicy(new Topics(PARTITIONS));
        assertTrue(policy.of(ServicePrincipal.DETECTOR).groups().contains(DetectorProcessor.STAGE));
        assertTrue(policy.of(ServicePrincipal.EMBEDDER).groups().contains(EmbedderProcessor.STAGE));
        assertTrue(policy.of(ServicePrincipal.RETRAINER).groups().contains(FeedbackProcessor.STAGE));
        Bindable matcherDefault = MatcherConfig.class.getMethod("applicationId").getAnnotation(Bindable.class);
        assertNotNull(matcherDefault, "MatcherConfig.applicationId has a @Bindable default");
        assertEquals(AccessPolicy.MATCHER_APPLICATION_ID, matcherDefault.defaultValue(),
                "the matcher's default application id is the one its ACLs name");
    }

    @Test
    void brokersReplicateTheLargestFrameRecordWhole() {
        // frames allows FrameLimits.MAX_RECORD_BYTES, frames.dlq a dead letter's headers more (compared above); a
        // follower replica must be able to fetch such a record, in compose and on Strimzi alike.
        Map<String, Object> env = map(map(services().get("kafka"), "compose kafka").get("environment"), "kafka env");
        assertAtLeastOneFrameRecord(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES"), "compose KAFKA_REPLICA_FETCH_MAX_BYTES");
        Map<String, Object> spec = map(map(kinds("Kafka").get(0).get("spec"), "Kafka spec").get("kafka"), "spec.kafka");
        assertAtLeastOneFrameRecord(map(spec.get("config"), "Kafka config").get("replica.fetch.max.bytes"),
                "Strimzi replica.fetch.max.bytes");
    }

    private static void assertAtLeastOneFrameRecord(Object bytes, String where) {
        assertNotNull(bytes, where + " is not set");
        assertTrue(Long.parseLong(String.valueOf(bytes)) >= FrameLimits.MAX_RECORD_BYTES,
                where + " = " + bytes + ", below FrameLimits.MAX_RECORD_BYTES " + FrameLimits.MAX_RECORD_BYTES);
    }

    // ---- services -----------------------------------------------------------------------------------------

    @Test
    void everyServiceHasAComposeServiceWithItsImageHealthCheckAndDependencies() {
        Set<String> instanceIds = new TreeSet<>();
        for (String service : services) {
            Map<String, Object> s = map(services().get(service), "compose service " + service);
            assertEquals("facestream/" + service + ":0.1.0-SNAPSHOT", s.get("image"), service + " image");
            Map<String, Object> env = stringMap(s.get("environment"), service + " environment");
            assertEquals("kafka:9092", env.get("FACESTREAM_BOOTSTRAP_SERVERS"), service);
            assertEquals(String.valueOf(PARTITIONS), env.get("FACESTREAM_PARTITIONS"), service);
            assertTrue(instanceIds.add(String.valueOf(env.get("FACESTREAM_INSTANCE_ID"))),
                    service + ": FACESTREAM_INSTANCE_ID missing or shared (transactional ids derive from it)");
            assertEquals("/models", env.get("FACESTREAM_MODEL_DIR"), service);
            assertTrue(list(s.get("volumes"), service + " volumes").contains("./models:/models:ro"),
                    service + " mounts the checkout's models read-only");
            Map<String, Object> depends = map(s.get("depends_on"), service + " depends_on");
            assertEquals("service_completed_successfully", map(depends.get("topic-init"), "topic-init").get("condition"),
                    service + " waits for topic-init");
            assertEquals(List.of("secrets/accounts.env"), list(s.get("env_file"), service + " env_file"),
                    service + " takes its accounts from the file scripts/compose-secrets.sh makes");
            String health = String.valueOf(map(s.get("healthcheck"), service + " healthcheck").get("test"));
            assertTrue(health.contains("/health"), service + " health check asks /health");
            List<Object> ports = list(s.getOrDefault("ports", List.of()), service + " ports");
            String published = PUBLISHED.get(service);
            assertEquals(published == null ? List.of() : List.of("127.0.0.1:" + published + ":8080"), ports,
                    service + " ports (this host only)");
        }
        // nothing is pulled: every image is one docker/build-images.sh builds, no container fetches at run time
        services().forEach((name, service) -> {
            String image = String.valueOf(map(service, name).get("image"));
            assertTrue(image.startsWith("facestream/"), name + " runs " + image + ", not an image built here");
        });
        assertFalse(services().containsKey("models-init"), "the models are mounted, not fetched by a container");
        assertTrue(Files.exists(root.resolve("libs/face-inference/src/main/resources/io/facestream/inference/model/"
                + "models.sha256")), "the sums scripts/fetch-assets.sh checks ./models against");
    }

    @Test
    void theDashboardsServiceAccountIsOneAnEnvironmentVariableCanName() {
        // FACESTREAM_SECURITY_USERS_<NAME>_...: a '_' (or '-') in NAME reads as both '.' and '-', and the matcher
        // then fails to bind its accounts; compose-secrets.sh makes the account under this name
        String compose = String.valueOf(stringMap(map(services().get("dashboard-service"), "dashboard")
                .get("environment"), "dashboard environment").get("FACESTREAM_DASHBOARD_MATCHER_USERNAME"));
        Map<String, Object> k8s = env(firstContainer(byName(kinds("Deployment")).get("dashboard-service")))
                .get("FACESTREAM_DASHBOARD_MATCHER_USERNAME");
        assertNotNull(k8s, "k8s dashboard sets FACESTREAM_DASHBOARD_MATCHER_USERNAME");
        assertEquals(compose, String.valueOf(k8s.get("value")), "the same service account in compose and k8s");
        assertTrue(compose.matches("[a-z][a-z0-9]{0,31}"), "service account '" + compose + "'");
        try {
            assertTrue(Files.readString(root.resolve("scripts/compose-secrets.sh"))
                    .contains("add_account " + compose + " operator"), "compose-secrets.sh makes " + compose);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyServiceHasADeploymentWithRequestsProbesAndPodNameAsInstanceId() {
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        assertEquals(new TreeSet<>(services), deployments.keySet(), "one k8s Deployment per service module");
        for (String service : services) {
            Path file = Path.of(service, "deployment.yaml");
            assertTrue(manifests.containsKey(file), "k8s/" + file + " holds the " + service + " Deployment");
            Map<String, Object> pod = podSpec(deployments.get(service));
            Map<String, Object> container = map(list(pod.get("containers"), "containers").get(0), service);
            assertEquals("facestream/" + service + ":0.1.0-SNAPSHOT", container.get("image"), service + " image");
            Map<String, Object> requests = map(resources(container).get("requests"), service + " requests");
            assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), service + " cpu/memory requests");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                Map<String, Object> get = map(map(container.get(probe), service + " " + probe).get("httpGet"), probe);
                assertEquals("/health", get.get("path"), service + " " + probe);
            }
            Map<String, Object> instanceId = env(container).get("FACESTREAM_INSTANCE_ID");
            assertNotNull(instanceId, service + " sets FACESTREAM_INSTANCE_ID");
            Map<String, Object> ref = map(map(instanceId.get("valueFrom"), "valueFrom").get("fieldRef"), "fieldRef");
            assertEquals("metadata.name", ref.get("fieldPath"), service + ": instance id from the pod name");
            assertTrue(String.valueOf(container.get("envFrom")).contains("facestream-config"),
                    service + " reads the shared ConfigMap");
            assertTrue(String.valueOf(container.get("envFrom")).contains("{secretRef={name=facestream-accounts}}"),
                    service + " takes its HTTP accounts from the Secret facestream-accounts");
        }
        Map<String, Map<String, Object>> k8sServices = byName(kinds("Service"));
        assertEquals(PUBLISHED.keySet(), k8sServices.keySet(), "k8s Services for the HTTP APIs");
        for (String service : PUBLISHED.keySet()) {
            Map<String, Object> selector = map(map(k8sServices.get(service).get("spec"), "spec").get("selector"), "sel");
            Map<String, Object> podLabels = labels(map(map(deployments.get(service).get("spec"), "spec")
                    .get("template"), "template"));
            selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), "Service " + service + " selects its pods"));
            Map<String, Object> port = map(list(map(k8sServices.get(service).get("spec"), "spec").get("ports"),
                    "ports").get(0), "Service " + service + " port");
            assertEquals(PUBLISHED.get(service), String.valueOf(port.get("port")),
                    "Service " + service + " listens on the port compose publishes");
            assertEquals("http", port.get("targetPort"), "Service " + service + " targets the container's http port");
        }
        assertEquals(String.valueOf(PARTITIONS), configMapData().get("FACESTREAM_PARTITIONS"));
    }

    @Test
    void embedderRunsOnGpuNodes() {
        Map<String, Object> pod = podSpec(byName(kinds("Deployment")).get("embedder-service"));
        Map<String, Object> resources = resources(map(list(pod.get("containers"), "containers").get(0), "embedder"));
        assertEquals("1", String.valueOf(map(resources.get("limits"), "limits").get("nvidia.com/gpu")),
                "embedder limits nvidia.com/gpu: 1 (an extended resource must be in limits)");
        assertEquals("1", String.valueOf(map(resources.get("requests"), "requests").get("nvidia.com/gpu")),
                "embedder requests nvidia.com/gpu: 1");
        assertFalse(map(pod.get("nodeSelector"), "embedder nodeSelector").isEmpty(), "embedder node selector");
        assertTrue(String.valueOf(pod.get("tolerations")).contains("nvidia.com/gpu"), "embedder tolerates GPU taint");
    }

    @Test
    void detectorAndEmbedderScaleOnConsumerLag() {
        Map<String, Map<String, Object>> hpas = byName(kinds("HorizontalPodAutoscaler"));
        assertEquals(Set.of("detector-service", "embedder-service"), hpas.keySet(), "HPAs");
        hpas.forEach((name, hpa) -> {
            assertEquals("autoscaling/v2", hpa.get("apiVersion"), name);
            Map<String, Object> spec = map(hpa.get("spec"), name + " spec");
            Map<String, Object> target = map(spec.get("scaleTargetRef"), "scaleTargetRef");
            assertEquals("Deployment", target.get("kind"));
            assertEquals(name, target.get("name"), "HPA " + name + " scales its own Deployment");
            assertTrue(((Number) spec.get("maxReplicas")).intValue() <= PARTITIONS,
                    name + ": more replicas than partitions would idle");
            Map<String, Object> metric = map(map(list(spec.get("metrics"), "metrics").get(0), "metric")
                    .get("external"), name + " external metric");
            Map<String, Object> id = map(metric.get("metric"), "metric");
            assertEquals("facestream_consumer_lag", id.get("name"), name);
            String stage = name.replace("-service", "");
            assertEquals(stage, map(map(id.get("selector"), "selector").get("matchLabels"), "labels").get("stage"),
                    name + " reads the lag of its own stage");
        });
    }

    @Test
    void everyFacestreamVariableIsAConfigurationKey() {
        Set<String> keys = configurationEnvNames();
        Map<String, String> used = new TreeMap<>();
        for (String service : services) {
            stringMap(map(services().get(service), service).get("environment"), service)
                    .keySet().forEach(k -> used.put(k, "docker-compose.yml " + service));
        }
        configMapData().keySet().forEach(k -> used.put(k, "k8s ConfigMap facestream-config"));
        for (Map<String, Object> d : kinds("Deployment")) {
            for (Object c : list(podSpec(d).get("containers"), "containers")) {
                env(map(c, "container")).keySet().forEach(k -> used.put(k, "k8s Deployment " + metadata(d).get("name")));
            }
        }
        List<String> unknown = new ArrayList<>();
        used.forEach((name, where) -> {
            boolean known = keys.contains(name) || OTHER_ENV.contains(name)
                    || keys.stream().anyMatch(k -> k.endsWith("_*") && name.startsWith(k.substring(0, k.length() - 1)));
            if (!known) {
                unknown.add(name + " (" + where + ")");
            }
        });
        assertEquals(List.of(), unknown, "environment variables that map to no @ConfigurationProperties component; "
                + "known: " + keys);
        assertTrue(used.keySet().containsAll(Set.of("FACESTREAM_BOOTSTRAP_SERVERS", "FACESTREAM_INSTANCE_ID",
                "FACESTREAM_MODEL_DIR", "FACESTREAM_PARTITIONS")));
    }

    @Test
    void modelsComeFromTheVerifiedFetch() throws IOException {
        Map<String, Map<String, Object>> claims = byName(kinds("PersistentVolumeClaim"));
        assertTrue(claims.containsKey("facestream-models"), "a models PVC");
        String sums = Files.readString(root.resolve(
                "libs/face-inference/src/main/resources/io/facestream/inference/model/models.sha256"));
        Map<String, Map<String, Object>> maps = byName(kinds("ConfigMap"));
        Map<String, Object> copy = map(maps.get("facestream-models-sha256"), "ConfigMap facestream-models-sha256");
        assertEquals(sums.strip(), String.valueOf(map(copy.get("data"), "data").get("models.sha256")).strip(),
                "k8s/models/fetch-job.yaml carries a stale copy of models.sha256");
        assertFalse(kinds("Job").isEmpty(), "the models fetch Job");
        for (Map<String, Object> d : kinds("Deployment")) {
            for (Mount m : mounts(d)) {
                if ("facestream-models".equals(m.claim())) {
                    assertTrue(m.readOnly() && m.claimReadOnly(), metadata(d).get("name") + " mounts models read-only");
                }
            }
        }
    }

    // ---- the retrainer and its model store ----------------------------------------------------------------

    @Test
    void composeAndKubernetesGiveEachServiceTheSameSettings() {
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        for (String service : services) {
            Map<String, String> inCompose = new TreeMap<>();
            stringMap(composeService(service).get("environment"), service + " environment")
                    .forEach((k, v) -> inCompose.put(k, String.valueOf(v)));
            assertEquals(portable(inCompose), portable(k8sSettings(deployments.get(service))),
                    service + ": the FACESTREAM_* settings of docker-compose.yml and k8s (ConfigMap + env) differ");
        }
    }

    @Test
    void thePublicKeyReachesEveryModelLoaderAndThePrivateKeyOnlyTheRetrainer() throws IOException {
        Set<String> loaders = servicesReferencing(FOLLOWS_ACTIVE_MODELS);
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        String composeStore = String.valueOf(stringMap(composeService(RETRAINER).get("environment"), RETRAINER)
                .get(MODEL_STORE_ENV));
        String k8sStore = k8sSettings(deployments.get(RETRAINER)).get(MODEL_STORE_ENV);
        for (String service : services) {
            Map<String, Object> env = stringMap(composeService(service).get("environment"), service);
            Map<String, String> k8s = k8sSettings(deployments.get(service));
            boolean loader = loaders.contains(service);
            boolean retrainer = service.equals(RETRAINER);
            if (loader && !retrainer) {
                // the store they trust is the one the retrainer writes (its artifact URIs point there)
                assertEquals(composeStore, env.get(TRUSTED_STORE_ENV), "docker-compose.yml " + service);
                assertEquals(k8sStore, k8s.get(TRUSTED_STORE_ENV), "k8s " + service);
            }
            if (loader) {
                String key = String.valueOf(env.get(PUBLIC_KEYS_ENV));
                assertTrue(composeVolumes(service).stream().anyMatch(v -> v.target().equals(key) && v.readOnly()),
                        "docker-compose.yml: " + service + " mounts the public key " + key + " read-only");
                String k8sKey = k8s.get(PUBLIC_KEYS_ENV);
                assertNotNull(k8sKey, "k8s: " + service + " sets " + PUBLIC_KEYS_ENV);
                assertTrue(mounts(deployments.get(service)).stream().anyMatch(m -> m.readOnly()
                        && k8sKey.startsWith(m.path() + "/")), "k8s: " + service + " mounts the public key " + k8sKey);
            }
            List<ComposeVolume> privateMounts = composeVolumes(service).stream()
                    .filter(v -> v.source().contains("model-signing-key")).toList();
            // the signing key's Secret, not the Kafka login and CA Secrets every service mounts
            List<String> secrets = secretVolumes(deployments.get(service)).stream()
                    .filter(name -> name.contains("model-signing")).toList();
            if (retrainer) {
                String key = String.valueOf(env.get(SIGNING_KEY_ENV));
                assertTrue(privateMounts.stream().anyMatch(v -> v.target().equals(key) && v.readOnly()),
                        "docker-compose.yml: the retrainer mounts its signing key " + key + " read-only");
                assertEquals(List.of("facestream-model-signing-key"), secrets, "k8s: the retrainer's Secret");
                String k8sKey = k8s.get(SIGNING_KEY_ENV);
                assertTrue(mounts(deployments.get(service)).stream().anyMatch(m -> k8sKey.startsWith(m.path() + "/")),
                        "k8s: the retrainer mounts its signing key " + k8sKey);
            } else {
                assertEquals(List.of(), privateMounts, "docker-compose.yml: only the retrainer sees the signing key");
                assertEquals(List.of(), secrets, "k8s: only the retrainer mounts the signing key's Secret");
                assertNull(env.get(SIGNING_KEY_ENV), service);
                assertNull(k8s.get(SIGNING_KEY_ENV), service);
            }
        }
        assertEquals(List.of(), kinds("Secret"), "k8s: no Secret is committed (the README says how to make it)");
        for (Path f : List.of(root.resolve("docker-compose.yml"), root.resolve("k8s"))) {
            try (Stream<Path> files = Files.walk(f)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(file);
                    assertFalse(text.contains("BEGIN PRIVATE KEY") || text.contains("BEGIN PUBLIC KEY"),
                            file + " holds a key; keys are made at deployment, never committed");
                }
            }
        }
    }

    /** The Secrets a Deployment's pod mounts (in any container, init containers included). */
    private static List<String> secretVolumes(Map<String, Object> deployment) {
        List<String> secrets = new ArrayList<>();
        for (Object v : list(podSpec(deployment).getOrDefault("volumes", List.of()), "volumes")) {
            Object secret = map(v, "volume").get("secret");
            if (secret != null) {
                secrets.add(String.valueOf(map(secret, "secret").get("secretName")));
            }
        }
        return secrets;
    }

    @Test
    void everyServiceThatLoadsActiveModelsMountsTheModelStoreWhereTheRetrainerWritesIt() throws IOException {
        Set<String> loaders = servicesReferencing(FOLLOWS_ACTIVE_MODELS);
        assertTrue(loaders.containsAll(Set.of("embedder-service", "matcher-service", RETRAINER)),
                "services that load the ACTIVE model version (they reference " + FOLLOWS_ACTIVE_MODELS + "): "
                        + loaders);

        // compose: one named volume, written by the retrainer, read-only at the same path everywhere else
        Object storeEnv = stringMap(composeService(RETRAINER).get("environment"), RETRAINER).get(MODEL_STORE_ENV);
        String store = storeEnv instanceof String s ? s : null;
        assertNotNull(store, "docker-compose.yml: " + RETRAINER + " sets " + MODEL_STORE_ENV);
        assertTrue(store.startsWith("/"), MODEL_STORE_ENV + " " + store + " must be absolute: the artifact URIs on "
                + "`models` are absolute file: URIs, read in other containers");
        ComposeVolume written = composeVolumes(RETRAINER).stream().filter(v -> v.target().equals(store)).findFirst()
                .orElse(null);
        assertNotNull(written, "docker-compose.yml: " + RETRAINER + " mounts a volume at " + MODEL_STORE_ENV + "="
                + store);
        assertFalse(written.readOnly(), "docker-compose.yml: the retrainer writes the model store");
        assertTrue(namedComposeVolumes().contains(written.source()),
                "docker-compose.yml: the model store is a named volume, found " + written.source());
        for (String service : services) {
            List<ComposeVolume> mounted = composeVolumes(service).stream()
                    .filter(v -> v.source().equals(written.source())).toList();
            if (loaders.contains(service)) {
                assertTrue(mounted.stream().anyMatch(v -> v.target().equals(store)), "docker-compose.yml: " + service
                        + " loads ACTIVE versions by their file: URI and must mount " + written.source() + " at "
                        + store);
            }
            if (!service.equals(RETRAINER)) {
                assertTrue(mounted.stream().allMatch(ComposeVolume::readOnly), "docker-compose.yml: " + service
                        + " mounts the model store read-only (the retrainer is its writer)");
            }
        }

        // k8s: one ReadWriteMany claim, written by the retrainer, read-only at the same path everywhere else
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        String k8sStore = k8sSettings(deployments.get(RETRAINER)).get(MODEL_STORE_ENV);
        assertNotNull(k8sStore, "k8s: " + RETRAINER + " sets " + MODEL_STORE_ENV);
        assertTrue(k8sStore.startsWith("/"), "k8s: " + MODEL_STORE_ENV + " " + k8sStore + " must be absolute");
        Mount k8sWritten = mounts(deployments.get(RETRAINER)).stream().filter(m -> m.path().equals(k8sStore))
                .findFirst().orElse(null);
        assertNotNull(k8sWritten, "k8s: " + RETRAINER + " mounts a volume at " + MODEL_STORE_ENV + "=" + k8sStore);
        assertNotNull(k8sWritten.claim(), "k8s: the model store is a PersistentVolumeClaim");
        assertFalse(k8sWritten.readOnly() || k8sWritten.claimReadOnly(), "k8s: the retrainer writes the model store");
        Map<String, Object> claim = byName(kinds("PersistentVolumeClaim")).get(k8sWritten.claim());
        assertNotNull(claim, "k8s: PersistentVolumeClaim " + k8sWritten.claim());
        assertTrue(list(map(claim.get("spec"), "spec").get("accessModes"), "accessModes").contains("ReadWriteMany"),
                "k8s: " + k8sWritten.claim() + " is mounted by pods on different nodes and must be ReadWriteMany");
        deployments.forEach((name, d) -> {
            List<Mount> mounted = mounts(d).stream().filter(m -> k8sWritten.claim().equals(m.claim())).toList();
            if (loaders.contains(name)) {
                assertTrue(mounted.stream().anyMatch(m -> m.path().equals(k8sStore)), "k8s: " + name
                        + " loads ACTIVE versions by their file: URI and must mount " + k8sWritten.claim() + " at "
                        + k8sStore);
            }
            if (!name.equals(RETRAINER)) {
                assertTrue(mounted.stream().allMatch(m -> m.readOnly() && m.claimReadOnly()),
                        "k8s: " + name + " mounts the model store read-only (the retrainer is its writer)");
            }
        });
    }

    @Test
    void retrainerRunsOnceWithItsOwnPersistentWorkDir() {
        // k8s: one replica, never two at once (Recreate), no autoscaler
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        Map<String, Object> retrainer = deployments.get(RETRAINER);
        Map<String, Object> spec = map(retrainer.get("spec"), RETRAINER + " spec");
        assertEquals(1, ((Number) spec.get("replicas")).intValue(), RETRAINER + ": one training at a time");
        assertEquals("Recreate", map(spec.get("strategy"), RETRAINER + " strategy").get("type"),
                RETRAINER + ": a rolling update would run two retrainers on one work dir");
        for (Map<String, Object> hpa : kinds("HorizontalPodAutoscaler")) {
            Map<String, Object> target = map(map(hpa.get("spec"), "HPA spec").get("scaleTargetRef"), "scaleTargetRef");
            assertFalse(RETRAINER.equals(target.get("name")),
                    "HPA " + metadata(hpa).get("name") + " scales the retrainer");
        }
        Map<String, String> settings = k8sSettings(retrainer);
        String work = settings.get(WORK_DIR_ENV);
        assertNotNull(work, "k8s: " + RETRAINER + " sets " + WORK_DIR_ENV);
        assertSeparate(work, settings.get(MODEL_STORE_ENV), "k8s");
        Mount mount = mounts(retrainer).stream().filter(m -> m.path().equals(work)).findFirst().orElse(null);
        assertNotNull(mount, "k8s: " + RETRAINER + " mounts a volume at " + WORK_DIR_ENV + "=" + work);
        assertNotNull(mount.claim(), "k8s: the work dir holds the labelled faces and must outlive the pod (a PVC)");
        assertFalse(mount.readOnly() || mount.claimReadOnly(), "k8s: the retrainer writes its work dir");
        assertTrue(byName(kinds("PersistentVolumeClaim")).containsKey(mount.claim()), "k8s: PVC " + mount.claim());
        deployments.forEach((name, d) -> assertTrue(name.equals(RETRAINER)
                || mounts(d).stream().noneMatch(m -> mount.claim().equals(m.claim())),
                name + " mounts the retrainer's work dir"));

        // compose: one container, a named volume of its own at the work dir
        Map<String, Object> service = composeService(RETRAINER);
        assertFalse(service.containsKey("scale"), "docker-compose.yml: " + RETRAINER + " is not scaled");
        Object replicas = map(service.getOrDefault("deploy", Map.of()), "deploy").getOrDefault("replicas", 1);
        assertEquals("1", String.valueOf(replicas), "docker-compose.yml: " + RETRAINER + " runs once");
        Map<String, Object> env = stringMap(service.get("environment"), RETRAINER);
        String composeWork = env.get(WORK_DIR_ENV) instanceof String w ? w : null;
        assertNotNull(composeWork, "docker-compose.yml: " + RETRAINER + " sets " + WORK_DIR_ENV);
        assertSeparate(composeWork, String.valueOf(env.get(MODEL_STORE_ENV)), "docker-compose.yml");
        ComposeVolume volume = composeVolumes(RETRAINER).stream().filter(v -> v.target().equals(composeWork))
                .findFirst().orElse(null);
        assertNotNull(volume, "docker-compose.yml: " + RETRAINER + " mounts a volume at " + WORK_DIR_ENV + "="
                + composeWork);
        assertFalse(volume.readOnly(), "docker-compose.yml: the retrainer writes its work dir");
        assertTrue(namedComposeVolumes().contains(volume.source()),
                "docker-compose.yml: the work dir is a named volume (it outlives the container), found "
                        + volume.source());
        for (String other : services) {
            assertTrue(other.equals(RETRAINER)
                    || composeVolumes(other).stream().noneMatch(v -> v.source().equals(volume.source())),
                    "docker-compose.yml: " + other + " mounts the retrainer's work dir");
        }
    }

    @Test
    void retrainerApiSignsInTheMatchersAccounts() {
        // POST /api/v1/models/retrain is for operators: the same accounts and sign-in settings as the matcher's API
        Map<String, String> matcher = securitySettings(composeService("matcher-service"));
        assertEquals(matcher, securitySettings(composeService(RETRAINER)),
                "docker-compose.yml: the retrainer's accounts/JWT settings differ from the matcher's");
        Map<String, Map<String, Object>> deployments = byName(kinds("Deployment"));
        Map<String, Object> m = firstContainer(deployments.get("matcher-service"));
        Map<String, Object> r = firstContainer(deployments.get(RETRAINER));
        assertEquals(m.get("envFrom"), r.get("envFrom"),
                "k8s: the retrainer reads other ConfigMaps/Secrets than the matcher");
        assertEquals(securityEnv(m), securityEnv(r),
                "k8s: the retrainer's accounts/JWT settings differ from the matcher's");
    }

    // ---- files and images ---------------------------------------------------------------------------------

    @Test
    void kustomizationsListEveryManifest() throws IOException {
        Path k8s = root.resolve("k8s");
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(k8s)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).forEach(folders::add);
        }
        assertTrue(folders.containsAll(services), "a k8s/ folder per service: " + folders);
        assertTrue(folders.contains("topics"), "k8s/topics");
        for (String folder : folders) {
            Path dir = k8s.resolve(folder);
            Path kustomization = dir.resolve("kustomization.yaml");
            assertTrue(Files.exists(kustomization), "k8s/" + folder + "/kustomization.yaml");
            Set<String> listed = list(map(loadAll(kustomization).get(0), "kustomization").get("resources"),
                    "resources").stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(DeploymentFilesTest::isYaml).map(f -> f.getFileName().toString())
                        .filter(f -> !f.equals("kustomization.yaml")).forEach(expected::add);
            }
            if (folder.equals("base")) {
                folders.stream().filter(f -> !f.equals("base") && !f.equals("overlays"))
                        .forEach(f -> expected.add("../" + f));
            }
            assertEquals(expected, listed, "k8s/" + folder + "/kustomization.yaml resources");
        }
    }

    @Test
    void everyServiceHasAnImageAndServesHealthAndMetrics() throws IOException {
        Map<String, Object> allInOne = map(loadAll(root.resolve(
                "services/all-in-one/src/main/resources/application.yml")).get(0), "all-in-one application.yml");
        String build = Files.readString(root.resolve("docker/build-images.sh"));
        Matcher listed = Pattern.compile("(?m)^SERVICES=\\(([^)]*)\\)").matcher(build);
        assertTrue(listed.find(), "docker/build-images.sh lists its SERVICES");
        assertEquals(services, Stream.of(listed.group(1).trim().split("\\s+")).map(s -> s + "-service").sorted()
                .toList(), "docker/build-images.sh builds an image of every deployable module");
        String start = Files.readString(root.resolve("docker/service/start.sh"));
        String dockerfile = Files.readString(root.resolve("docker/service/Dockerfile"));
        assertTrue(dockerfile.startsWith("#") && dockerfile.contains("FROM facestream/jre:21"),
                "the service images share the JRE layer");
        // Lucene's SIMD dot product (the gallery and history indexes) needs Java 21+ and the vector module
        Matcher jre = Pattern.compile("openjdk-(\\d+)-jre-headless").matcher(
                Files.readString(root.resolve("docker/jre/Dockerfile")));
        assertTrue(jre.find() && Integer.parseInt(jre.group(1)) >= 21, "the JRE layer is Java 21 or newer");
        assertTrue(start.contains("--add-modules jdk.incubator.vector"), "the services start with the vector module");
        String launcher = Files.readString(root.resolve("facestream"));
        for (String flag : List.of("-Dai.djl.offline=true", "-DDJL_CACHE_DIR=", "-Djava.io.tmpdir=")) {
            assertTrue(launcher.contains(flag) && start.contains(flag), "the image runs with the launcher's " + flag);
        }
        Matcher malloc = Pattern.compile("export (MALLOC_\\w+)=\"\\$\\{\\1:-(\\d+)}\"").matcher(launcher);
        int variables = 0;
        while (malloc.find()) {
            variables++;
            String setting = malloc.group(1) + "=" + malloc.group(2);
            assertTrue(dockerfile.contains(setting), "the image sets the launcher's " + setting);
        }
        assertEquals(3, variables, "MALLOC_* variables of ./facestream");
        for (String service : services) {
            Path module = root.resolve("services").resolve(service);
            String pom = Files.readString(module.resolve("pom.xml"));
            assertTrue(pom.contains("<facestream.main-class>" + mainClassOf(module) + "</facestream.main-class>"),
                    service + " image runs " + mainClassOf(module));
            Map<String, Object> yml = map(loadAll(module.resolve("src/main/resources/application.yml")).get(0),
                    service + " application.yml");
            assertEquals(allInOne.get("endpoints"), yml.get("endpoints"), service + ": endpoints as in all-in-one");
            assertEquals(map(allInOne.get("micronaut"), "micronaut").get("metrics"),
                    map(yml.get("micronaut"), "micronaut").get("metrics"), service + ": metrics as in all-in-one");
            if (UPLOADS.contains(service)) {
                assertEquals(map(map(allInOne.get("micronaut"), "m").get("server"), "server").get("max-request-size"),
                        map(map(yml.get("micronaut"), "m").get("server"), "server").get("max-request-size"),
                        service + ": request size limit as in all-in-one");
            }
            assertFalse(yml.containsKey("facestream"), service + ": FaceStream settings come from the environment");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A compose volume in short syntax, {@code source:target[:mode]}. */
    private record ComposeVolume(String source, String target, boolean readOnly) {

        static ComposeVolume parse(Object entry, String where) {
            String[] parts = String.valueOf(entry).split(":");
            assertTrue(parts.length == 2 || parts.length == 3,
                    where + ": volume " + entry + " is not source:target[:mode]");
            return new ComposeVolume(parts[0], parts[1],
                    parts.length == 3 && List.of(parts[2].split(",")).contains("ro"));
        }
    }

    /** A volume mounted into a pod's container: where, whether read-only, and its PVC (null for other volumes). */
    private record Mount(String path, boolean readOnly, String claim, boolean claimReadOnly) {
    }

    private static Map<String, Object> composeService(String name) {
        return map(services().get(name), "docker-compose.yml service " + name);
    }

    private static List<ComposeVolume> composeVolumes(String service) {
        return list(composeService(service).getOrDefault("volumes", List.of()), service + " volumes").stream()
                .map(v -> ComposeVolume.parse(v, "docker-compose.yml " + service)).toList();
    }

    private static Set<String> namedComposeVolumes() {
        return map(compose.getOrDefault("volumes", Map.of()), "docker-compose.yml volumes").keySet();
    }

    /** The FACESTREAM_* settings that must not differ between compose and k8s (not the broker, pod or secrets). */
    private static Map<String, String> portable(Map<String, String> settings) {
        Map<String, String> portable = new TreeMap<>(settings);
        // Kafka logins differ by design (compose: SCRAM over the private network, the password from the env
        // file; k8s: TLS, the password file of the User Operator's Secret): kafkaLoginsAreEachServicesOwn
        portable.keySet().removeIf(k -> !k.startsWith("FACESTREAM_") || SECURITY_ENV.matcher(k).matches()
                || k.startsWith("FACESTREAM_KAFKA_")
                || k.equals("FACESTREAM_BOOTSTRAP_SERVERS") || k.equals("FACESTREAM_INSTANCE_ID")
                // the dashboard reaches the matcher and the retrainer at their container ports in compose and at
                // their Service ports in k8s; its service account's password is an env-file variable there and a
                // Secret here
                || k.equals("FACESTREAM_DASHBOARD_MATCHER_BASE_URL") || k.equals("FACESTREAM_DASHBOARD_RETRAINER_BASE_URL")
                || k.equals("FACESTREAM_DASHBOARD_MATCHER_PASSWORD"));
        return portable;
    }

    /** The literal environment of a Deployment's container: the shared ConfigMap it reads, then its own values. */
    private static Map<String, String> k8sSettings(Map<String, Object> deployment) {
        Map<String, Object> container = firstContainer(deployment);
        Map<String, String> settings = new TreeMap<>();
        if (String.valueOf(container.get("envFrom")).contains("facestream-config")) {
            configMapData().forEach((k, v) -> settings.put(k, String.valueOf(v)));
        }
        env(container).forEach((k, e) -> {
            if (e.containsKey("value")) {
                settings.put(k, String.valueOf(e.get("value")));
            }
        });
        return settings;
    }

    private static Map<String, String> securitySettings(Map<String, Object> composeService) {
        Map<String, String> security = new TreeMap<>();
        stringMap(composeService.get("environment"), "environment").forEach((k, v) -> {
            if (SECURITY_ENV.matcher(k).matches()) {
                security.put(k, String.valueOf(v));
            }
        });
        security.put("env_file", String.valueOf(composeService.get("env_file")));
        return security;
    }

    private static Map<String, Map<String, Object>> securityEnv(Map<String, Object> container) {
        Map<String, Map<String, Object>> security = new TreeMap<>(env(container));
        security.keySet().removeIf(k -> !SECURITY_ENV.matcher(k).matches());
        return security;
    }

    /** Neither directory inside the other: the work dir is the retrainer's own, the model store is shared. */
    private static void assertSeparate(String workDir, String modelStore, String where) {
        assertTrue(workDir.startsWith("/"), where + ": " + WORK_DIR_ENV + " " + workDir + " must be absolute");
        assertNotNull(modelStore, where + ": " + MODEL_STORE_ENV);
        Path work = Path.of(workDir).normalize();
        Path store = Path.of(modelStore).normalize();
        assertFalse(work.startsWith(store) || store.startsWith(work),
                where + ": work dir " + work + " and model store " + store + " overlap");
    }

    private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
        return map(list(podSpec(deployment).get("containers"), "containers").get(0), metadata(deployment).get("name")
                + " container");
    }

    private static List<Mount> mounts(Map<String, Object> deployment) {
        Map<String, Object> pod = podSpec(deployment);
        Map<String, Map<String, Object>> volumes = new TreeMap<>();
        for (Object v : list(pod.getOrDefault("volumes", List.of()), "volumes")) {
            Map<String, Object> volume = map(v, "volume");
            volumes.put(String.valueOf(volume.get("name")), volume);
        }
        List<Mount> mounts = new ArrayList<>();
        for (Object c : list(pod.get("containers"), "containers")) {
            for (Object m : list(map(c, "container").getOrDefault("volumeMounts", List.of()), "volumeMounts")) {
                Map<String, Object> mount = map(m, "volumeMount");
                Map<String, Object> volume = volumes.get(String.valueOf(mount.get("name")));
                assertNotNull(volume,
                        metadata(deployment).get("name") + " mounts an undeclared volume " + mount.get("name"));
                Map<String, Object> claim = map(volume.getOrDefault("persistentVolumeClaim", Map.of()), "claim");
                mounts.add(new Mount(String.valueOf(mount.get("mountPath")), Boolean.TRUE.equals(mount.get("readOnly")),
                        claim.containsKey("claimName") ? String.valueOf(claim.get("claimName")) : null,
                        Boolean.TRUE.equals(claim.get("readOnly"))));
            }
        }
        return mounts;
    }

    /** The deployable services whose main sources mention {@code name}. */
    private static Set<String> servicesReferencing(String name) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String service : services) {
            try (Stream<Path> files = Files.walk(root.resolve("services").resolve(service).resolve("src/main/java"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(f).contains(name)) {
                        found.add(service);
                    }
                }
            }
        }
        return found;
    }

    /** FACESTREAM_* names of every configuration record component; a map component ends in {@code _*}. */
    private static Set<String> configurationEnvNames() {
        Set<String> names = new TreeSet<>();
        for (Class<?> config : List.of(PipelineConfig.class, ModelTrustConfig.class, DetectorConfig.class,
                EmbedderConfig.class, MatcherConfig.class, GalleryIndexConfig.class, SearchConfig.class,
                RetrainerConfig.class, DashboardConfig.class, MatcherClientConfig.class, RetrainerClientConfig.class)) {
            String prefix;
            try {
                prefix = (String) config.getField("PREFIX").get(null);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(config + " has no PREFIX", e);
            }
            addEnvNames(prefix, config, names);
        }
        return names;
    }

    /** A nested configuration record (e.g. {@code PipelineConfig.KafkaSecurity}) binds under its own PREFIX. */
    private static void addEnvNames(String prefix, Class<?> config, Set<String> names) {
        for (RecordComponent c : config.getRecordComponents()) {
            if (c.getType().isRecord() && c.getType().isAnnotationPresent(ConfigurationProperties.class)) {
                String nested = c.getType().getAnnotation(ConfigurationProperties.class).value();
                addEnvNames(prefix + "." + nested, c.getType(), names);
                continue;
            }
            String key = prefix + "." + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            String env = key.toUpperCase().replace('.', '_').replace('-', '_');
            names.add(Map.class.isAssignableFrom(c.getType()) ? env + "_*" : env);
        }
    }

    private static void assertTopicsEqual(Map<String, String> declared, String where) {
        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec spec : new Topics(PARTITIONS).specs()) {
            expected.put(spec.name(), describe(spec.partitions(), spec.effectiveConfigs()));
        }
        List<String> problems = new ArrayList<>();
        expected.forEach((name, want) -> {
            String got = declared.get(name);
            if (got == null) {
                problems.add("missing " + name + " (" + want + ")");
            } else if (!got.equals(want)) {
                problems.add(name + ": " + got + ", Topics says " + want);
            }
        });
        declared.keySet().stream().filter(n -> !expected.containsKey(n))
                .forEach(n -> problems.add("not in Topics.specs(): " + n));
        assertEquals(List.of(), problems, where + " disagree with Topics.specs()");
    }

    /** Partitions and every topic config, the cleanup policy made explicit (a topic without one deletes). */
    private static String describe(int partitions, Map<String, String> configs) {
        Map<String, String> all = new TreeMap<>(configs);
        all.putIfAbsent(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        return partitions + " partitions, " + all;
    }

    private static Map<String, Object> services() {
        return map(compose.get("services"), "docker-compose.yml services");
    }

    private static Map<String, Object> configMapData() {
        return map(byName(kinds("ConfigMap")).get("facestream-config").get("data"), "ConfigMap facestream-config");
    }

    private static List<Map<String, Object>> kinds(String kind) {
        List<Map<String, Object>> found = new ArrayList<>();
        manifests.values().forEach(docs -> docs.stream().filter(d -> kind.equals(d.get("kind"))).forEach(found::add));
        return found;
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> docs) {
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        for (Map<String, Object> d : docs) {
            String name = String.valueOf(metadata(d).get("name"));
            assertNull(byName.put(name, d), d.get("kind") + " " + name + " declared twice");
        }
        return byName;
    }

    private static Map<String, Object> metadata(Map<String, Object> doc) {
        return map(doc.get("metadata"), doc.get("kind") + " metadata");
    }

    private static Map<String, Object> labels(Map<String, Object> doc) {
        return map(metadata(doc).getOrDefault("labels", Map.of()), "labels");
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        assertNotNull(deployment, "Deployment");
        return map(map(map(deployment.get("spec"), "spec").get("template"), "template").get("spec"), "pod spec");
    }

    private static Map<String, Object> resources(Map<String, Object> container) {
        return map(container.get("resources"), container.get("name") + " resources");
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Object e : list(container.getOrDefault("env", List.of()), "env")) {
            Map<String, Object> var = map(e, "env entry");
            env.put(String.valueOf(var.get("name")), var);
        }
        return env;
    }

    /** Compose environment as a map (the list form {@code - NAME=value} is accepted too). */
    private static Map<String, Object> stringMap(Object environment, String what) {
        if (environment instanceof List<?> entries) {
            Map<String, Object> env = new LinkedHashMap<>();
            for (Object entry : entries) {
                String[] kv = String.valueOf(entry).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
            return env;
        }
        Map<String, Object> env = new LinkedHashMap<>();
        map(environment, what).forEach((k, v) -> env.put(k, v == null ? null : String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            fail(what + ": expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        if (!(value instanceof List)) {
            fail(what + ": expected a list, found " + value);
        }
        return (List<Object>) value;
    }

    private static List<Map<String, Object>> loadAll(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) {
                    docs.add(map(doc, file.toString()));
                }
            }
        }
        assertFalse(docs.isEmpty(), file + " holds no YAML document");
        return docs;
    }

    private static boolean isYaml(Path f) {
        String name = f.getFileName().toString();
        return Files.isRegularFile(f) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** The Application class of a service module, or null for a module without a main. */
    private static String mainClassOf(Path module) {
        Path java = module.resolve("src/main/java");
        if (!Files.isDirectory(java)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(java)) {
            return files.filter(f -> f.getFileName().toString().equals("Application.java"))
                    .map(f -> java.relativize(f).toString().replace(java.getFileSystem().getSeparator(), ".")
                            .replaceAll("\\.java$", ""))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("services/all-in-one")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new AssertionError("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
