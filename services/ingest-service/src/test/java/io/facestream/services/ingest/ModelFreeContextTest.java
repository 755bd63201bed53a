package io.facestream.services.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.pipeline.topics.Topics;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ingest service runs no model: face-inference is not on its class path (service-common declares it optional),
 * so service-common's ModelFactory is left out and the context starts without it.
 */
class ModelFreeContextTest {

    @Test
    void theContextStartsWithoutTheModelFactory() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.facestream.inference.model.FaceModels"),
                "face-inference is not on the ingest class path");
        // Nothing connects: the bootstrap address is only read into PipelineConfig.
        try (ApplicationContext context = ApplicationContext.run(Map.of("facestream.bootstrap-servers",
                "127.0.0.1:9"), "test")) {
            assertEquals(4, context.getBean(Topics.class).partitions(), "the transport beans are there");
            assertFalse(context.getAllBeanDefinitions().stream()
                    .anyMatch(d -> d.getBeanType().getName().startsWith("io.facestream.inference.")),
                    "no model bean is defined");
        }
    }
}
