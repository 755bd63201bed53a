package io.facestream.inference.mtcnn;

import java.util.List;
import org.opencv.core.Mat;

/**
 * The three MTCNN networks on one engine. {@link MtcnnDetector} holds the stage logic; an implementation only turns
 * images into network outputs, in the layouts below, whatever the engine's own tensor layout. Thread-safe.
 */
public interface MtcnnNetworks extends AutoCloseable {

    /** PNet on one pyramid level (8-bit RGB at the level's size). */
    PnetOutput pnet(Mat level);

    /** RNet on square 24×24 8-bit RGB crops. */
    StageOutput rnet(List<Mat> crops);

    /** ONet on square 48×48 8-bit RGB crops. */
    StageOutput onet(List<Mat> crops);

    /** The engine's name, as the bench and the logs print it. */
    String engine();

    @Override
    void close();

    /**
     * PNet's map over a level: {@code width × height} cells, cell (x, y) at index {@code x * height + y}.
     *
     * @param faceProbability one value per cell
     * @param regression      four values per cell (dx1, dy1, dx2, dy2), cell after cell
     */
    record PnetOutput(int width, int height, float[] faceProbability, float[] regression) {
    }

    /**
     * RNet's or ONet's outputs for {@code count} crops, in crop order.
     *
     * @param faceProbability one value per crop
     * @param regression      four per crop
     * @param landmarks       ten per crop (five x fractions, then five y fractions); {@code null} for RNet
     */
    record StageOutput(int count, float[] faceProbability, float[] regression, float[] landmarks) {
    }
}
