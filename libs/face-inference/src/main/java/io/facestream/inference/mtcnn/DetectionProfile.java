package io.facestream.inference.mtcnn;

/**
 * Where detection time goes, summed over the frames given to {@link MtcnnDetector#detect(org.opencv.core.Mat,
 * DetectionProfile)}: PNet over the pyramid (resizing, network, cell decoding, NMS), RNet (crops, network, NMS) and
 * ONet (crops, network, landmarks, NMS), and how many crops RNet and ONet saw. Not thread-safe: one per measuring thread.
 */
public final class DetectionProfile {

    private long frames;
    private long pnetNanos;
    private long rnetNanos;
    private long onetNanos;
    private long rnetCrops;
    private long onetCrops;

    void add(long pnet, long rnet, long onet, int rnetInputs, int onetInputs) {
        frames++;
        pnetNanos += pnet;
        rnetNanos += rnet;
        onetNanos += onet;
        rnetCrops += rnetInputs;
        onetCrops += onetInputs;
    }

    /** Candidates RNet saw per frame (PNet's proposals). */
    public double rnetCropsPerFrame() {
        return frames == 0 ? 0 : (double) rnetCrops / frames;
    }

    /** Candidates ONet saw per frame (what RNet kept). */
    public double onetCropsPerFrame() {
        return frames == 0 ? 0 : (double) onetCrops / frames;
    }

    public long frames() {
        return frames;
    }

    public double pnetMsPerFrame() {
        return perFrame(pnetNanos);
    }

    public double rnetMsPerFrame() {
        return perFrame(rnetNanos);
    }

    public double onetMsPerFrame() {
        return perFrame(onetNanos);
    }

    private double perFrame(long nanos) {
        return frames == 0 ? 0 : nanos / 1e6 / frames;
    }
}
