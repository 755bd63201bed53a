package io.facestream.pipeline.embed;

import io.facestream.core.similarity.Embedding;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * The embedder stage: aligned face crops in, L2-normalised embeddings tagged with the model version out.
 * A crop that cannot be used is reported on its own; the rest of the batch is embedded. Thread-safe.
 */
public final class CropEmbedder {

    private static final int SIZE = MobileFaceNet.INPUT_SIZE;
    /** A 112×112 crop; anything larger is not an aligned face. */
    private static final DecodeLimits CROP_LIMITS = new DecodeLimits(SIZE * SIZE, 1 << 20);

    private final FaceEmbedder embedder;
    private final String modelVersion;
    private final ImageDecoder decoder = new ImageDecoder(CROP_LIMITS);

    public CropEmbedder(FaceEmbedder embedder, String modelVersion) {
        this.embedder = embedder;
        this.modelVersion = modelVersion;
    }

    public String modelVersion() {
        return modelVersion;
    }

    /** The outcome for one crop: an embedding, or the reason it was rejected. */
    public record Outcome(FaceCrop crop, FaceEmbedding embedding, RejectedRecordException rejection) {

        public boolean rejected() {
            return rejection != null;
        }
    }

    /** One outcome per crop, in input order. */
    public List<Outcome> embed(List<FaceCrop> crops) {
        List<Outcome> out = new ArrayList<>(crops.size());
        List<Mat> faces = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<DecodedImage> decoded = new ArrayList<>();
        try {
            for (FaceCrop crop : crops) {
                try {
                    DecodedImage image = decodeCrop(crop);
                    decoded.add(image);
                    faces.add(image.rgb());
                    positions.add(out.size());
                    out.add(null);
                } catch (RejectedRecordException e) {
                    out.add(new Outcome(crop, null, e));
                }
            }
            List<Embedding> embeddings = faces.isEmpty() ? List.of() : embedder.embed(faces);
            for (int i = 0; i < embeddings.size(); i++) {
                FaceCrop crop = crops.get(positions.get(i));
                out.set(positions.get(i), new Outcome(crop, record(crop, embeddings.get(i)), null));
            }
            return out;
        } finally {
            decoded.forEach(DecodedImage::close);
        }
    }

    private DecodedImage decodeCrop(FaceCrop crop) throws RejectedRecordException {
        if (crop.getFaceId() == null || crop.getFaceId().isBlank()) {
            throw new RejectedRecordException("missing-field", "face crop has no faceId");
        }
        byte[] bytes = new byte[crop.getAlignedCrop().remaining()];
        crop.getAlignedCrop().duplicate().get(bytes);
        DecodedImage image;
        try {
            image = decoder.decode(bytes);
        } catch (ImageDecodeException e) {
            throw new RejectedRecordException("undecodable-crop", e.getMessage(), e);
        }
        if (image.width() != SIZE || image.height() != SIZE) {
            image.close();
            throw new RejectedRecordException("bad-crop-size", "aligned crop is " + image.width() + "x"
                    + image.height() + ", expected " + SIZE + "x" + SIZE);
        }
        return image;
    }

    private FaceEmbedding record(FaceCrop crop, Embedding e) {
        List<Float> vector = new ArrayList<>(e.dimension());
        for (float v : e.toArray()) {
            vector.add(v);
        }
        return FaceEmbedding.newBuilder().setFaceId(crop.getFaceId()).setFrameId(crop.getFrameId())
                .setCameraId(crop.getCameraId()).setCapturedAt(crop.getCapturedAt()).setVector(vector)
                .setModelVersion(modelVersion).setAlignedCrop(crop.getAlignedCrop())
                // carried along for the tracker (box) and for the gates downstream (quality)
                .setBox(crop.getBox()).setQuality(crop.getQuality()).build();
    }
}
