package io.facestream.services.common.health;

import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.services.common.config.HealthConfig;
import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reactivestreams.Publisher;

/**
 * {@code /health} for the pipeline's own threads: every bean that is {@link Monitored} (stages, followers of
 * compacted topics, the matcher's Kafka Streams client) is asked for its loops, and the service is DOWN (HTTP 503)
 * when one has failed, stopped, or not finished an iteration for {@link HealthConfig#stuckAfter()}. The details
 * name each component and what is wrong with it; Micronaut shows them only to an authenticated caller
 * ({@code endpoints.health.details-visible: AUTHENTICATED}), anonymous probes see just the status.
 *
 * <p>Only beans that already exist are asked: a health check never creates one.
 */
@Singleton
public class PipelineHealthIndicator implements HealthIndicator {

    public static final String NAME = "facestream";

    private final BeanContext beans;
    private final HealthConfig config;

    public PipelineHealthIndicator(BeanContext beans, HealthConfig config) {
        this.beans = beans;
        this.config = config;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(check());
    }

    /** The result now: DOWN naming every unhealthy component, else UP with each component's state. */
    public HealthResult check() {
        Map<String, Object> components = new TreeMap<>();
        List<String> down = new ArrayList<>();
        for (BeanRegistration<Monitored> registration : beans.getActiveBeanRegistrations(Monitored.class)) {
            for (LoopStatus s : registration.bean().loops()) {
                String problem = problem(s);
                String name = unique(components, s.component());
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", problem == null ? HealthStatus.UP.getName() : HealthStatus.DOWN.getName());
                detail.put("state", s.state().name());
                detail.put("sinceLastIterationMs", s.sinceLastIteration().toMillis());
                if (!s.detail().isEmpty()) {
                    detail.put("detail", s.detail());
                }
                if (problem != null) {
                    detail.put("problem", problem);
                    down.add(name + ": " + problem);
                }
                components.put(name, detail);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (!down.isEmpty()) {
            details.put("down", down);
        }
        details.put("components", components);
        return HealthResult.builder(NAME, down.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN).details(details)
                .build();
    }

    /** What is wrong with a loop, or null when nothing is. */
    String problem(LoopStatus s) {
        if (s.state() == LoopState.FAILED) {
            return "failed: " + s.detail();
        }
        if (s.state() == LoopState.STOPPED) {
            return "stopped";
        }
        if (s.sinceLastIteration().compareTo(config.stuckAfter()) > 0) {
            return "stuck: no loop iteration for " + s.sinceLastIteration().toSeconds() + " s (limit "
                    + config.stuckAfter().toSeconds() + " s)";
        }
        return null;
    }

    private static String unique(Map<String, Object> taken, String name) {
        String candidate = name;
        for (int i = 2; taken.containsKey(candidate); i++) {
            candidate = name + "#" + i;
        }
        return candidate;
    }
}
