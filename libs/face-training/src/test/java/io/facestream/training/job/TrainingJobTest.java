package io.facestream.training.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.inference.testing.SharedModels;
import io.facestream.inference.testing.TestModels;
import io.facestream.training.dataset.CropImages;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.evaluation.EvaluationReport;
import io.facestream.training.evaluation.HeldOutEvaluation;
import io.facestream.training.split.HeldOutSplit;
import io.facestream.training.testing.DevFaces;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** A real fine-tuning run on three identities of faces-dev: a few steps, checked end to end. */
class TrainingJobTest {

    private static final String LAST_FROZEN = "block10";

    @TempDir
    Path out;

    @Test
    void fineTunesTheLateStagesAndReportsBeforeAndAfter() throws Exception {
        LabelledFaces data = new LabelledFaces(DevFaces.threeJohns());
        Path base = TestModels.require("MobileFaceNet.tflite");
        TrainingConfig config = TrainingConfig.defaults().withSteps(4).withBatchSize(4).withLearningRate(1e-3f)
                .withTriplet(0.5f, 0.2f);
        List<String> phases = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        TrainingOutcome outcome = new TrainingJob(config, Device.cpu()).run(data, base, null, out,
                new TrainingProgress() {
                    @Override
                    public void phase(String name) {
                        phases.add(name);
                    }

                    @Override
                    public void step(int step, int total, double loss) {
                        assertTrue(Double.isFinite(loss) && loss >= 0, "loss " + loss);
                        steps.add(step);
                    }
                });
        assertEquals(List.of("split", "evaluate-before", "train", "evaluate-after", "report"), phases);
        assertEquals(List.of(1, 2, 3, 4), steps);
        assertEquals(out.resolve(TrainingJob.PARAMETERS), outcome.parameters());

        try (Network tuned = Network.fromParameters("tuned", MobileFaceNet.build(), outcome.parameters(), Device.cpu());
                Network original = Network.fromTflite("base", MobileFaceNet.build(), base, Device.cpu(),
                        MobileFaceNet::load)) {
            List<String> stages = MobileFaceNet.stageNames();
            int last = stages.indexOf(LAST_FROZEN);
            for (int i = 0; i < stages.size(); i++) {
                boolean same = Arrays.deepEquals(values(original, stages.get(i)), values(tuned, stages.get(i)));
                if (i <= last) {
                    assertTrue(same, stages.get(i) + " is frozen and must be unchanged");
                } else {
                    assertFalse(same, stages.get(i) + " is trained and must have changed");
                }
            }
            Mat crop = CropImages.read(data.facesOf("John_Savage").get(0));
            try {
                Embedding e = new FaceEmbedder(tuned, 4).embed(crop);
                float[] v = e.toArray();
                assertEquals(MobileFaceNet.EMBEDDING_SIZE, v.length);
                double norm = 0;
                for (float f : v) {
                    norm += f * f;
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-5);
            } finally {
                crop.release();
            }
        }

        HeldOutSplit split = HeldOutSplit.of(data, config.heldOutFraction(), config.seed());
        // The base model evaluated on its own (the shared test instance, another batch size: equal up to float
        // rounding of the embeddings).
        EvaluationReport independent = HeldOutEvaluation.evaluate(
                new FaceEmbedder(SharedModels.get().mobileFaceNet(), 8)::embed, split);
        EvaluationReport before = outcome.before();
        assertEquals(independent.macroF1(), before.macroF1(), 1e-12);
        assertEquals(independent.perClassF1(), before.perClassF1());
        assertTrue(Arrays.deepEquals(independent.identification().confusion().counts(),
                before.identification().confusion().counts()), "same confusion matrix");
        assertEquals(independent.verificationAccuracy(), before.verificationAccuracy(), 1e-12);
        assertEquals(independent.auc(), before.auc(), 1e-12);
        assertEquals(independent.verification().threshold(), before.verification().threshold(), 1e-6);
        assertEquals(independent.heldOutFaces(), before.heldOutFaces());
        assertEquals(split.heldOut().values().stream().mapToInt(List::size).sum(), outcome.after().heldOutFaces());

        JsonNode json = new ObjectMapper().readTree(outcome.reportJson().toFile());
        assertEquals(outcome.before().macroF1(), json.at("/before/identification/macroF1").asDouble(), 1e-12);
        assertEquals(outcome.after().macroF1(), json.at("/after/identification/macroF1").asDouble(), 1e-12);
        assertEquals(4, json.at("/training/losses").size());
        assertEquals("block10", json.at("/config/lastFrozenStage").asText());
        assertTrue(json.at("/after/identification/confusion/labels").isArray());
        assertTrue(json.at("/after/roc").size() >= 2);
        for (String png : List.of(ReportFiles.CONFUSION, ReportFiles.ROC, ReportFiles.PRECISION_RECALL)) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(image, png + " is a readable PNG");
            assertTrue(image.getWidth() > 100, png);
        }
        assertTrue(Files.readString(out.resolve(ReportFiles.MARKDOWN)).contains("macro-F1"));
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void refusesDataWithFewerThanTwoEvaluableIdentitiesAndLeavesNoParameterFile() throws IOException {
        LabelledFaces data = new LabelledFaces(out.resolve("data"));
        LabelledFaces source = new LabelledFaces(DevFaces.threeJohns());
        for (Path f : source.facesOf("John_Salley")) {
            data.add("John_Salley", Files.readAllBytes(f));
        }
        data.add("John_Savage", Files.readAllBytes(source.facesOf("John_Savage").get(0)));
        Path jobOut = out.resolve("job");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingJob(
                TrainingConfig.defaults().withSteps(1), Device.cpu()).run(data,
                TestModels.require("MobileFaceNet.tflite"), null, jobOut, TrainingProgress.SILENT));
        assertTrue(e.getMessage().contains("at least 2 identities with held-out faces"), e.getMessage());
        assertFalse(Files.exists(jobOut.resolve(TrainingJob.PARAMETERS)));
    }

    @Test
    void refusesAHeldOutSplitWithoutAGenuinePair() throws IOException {
        // Three faces each: one held out per person, so no two held-out faces of one person to verify.
        LabelledFaces data = new LabelledFaces(out.resolve("data"));
        LabelledFaces source = new LabelledFaces(DevFaces.threeJohns());
        for (String person : List.of("John_Salley", "John_Savage")) {
            for (Path f : source.facesOf(person).subList(0, 3)) {
                data.add(person, Files.readAllBytes(f));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingJob(
                TrainingConfig.defaults().withSteps(1), Device.cpu()).run(data,
                TestModels.require("MobileFaceNet.tflite"), null, out.resolve("job"), TrainingProgress.SILENT));
        assertTrue(e.getMessage().contains("at least 2 held-out faces"), e.getMessage());
    }

    private static float[][] values(Network network, String stage) {
        List<Parameter> params = new ArrayList<>();
        ((io.facestream.inference.nn.Chain) network.block()).getChildren().get(stage).getParameters()
                .forEach(p -> params.add(p.getValue()));
        float[][] out = new float[params.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = params.get(i).getArray().toFloatArray();
        }
        return out;
    }
}
