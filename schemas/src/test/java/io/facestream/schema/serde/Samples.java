package io.facestream.schema.serde;

import io.facestream.schema.BoundingBox;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import io.facestream.schema.Point;
import io.facestream.schema.Verdict;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One hand-made, fully populated instance of every record (timestamps at millisecond precision). */
final class Samples {

  static final Instant CAPTURED = Instant.ofEpochMilli(1_700_000_000_123L);
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 7, 7, 7};

  private Samples() {}

  static Frame frame() {
    return Frame.newBuilder()
        .setFrameId("cam-1-000042").setCameraId("cam-1").setCapturedAt(CAPTURED).setSeq(42L)
        .setImage(ByteBuffer.wrap(JPEG)).setContentType("image/jpeg")
        .build();
  }

  static FaceCrop faceCrop() {
    return FaceCrop.newBuilder()
        .setFaceId("cam-1-000042-0").setFrameId("cam-1-000042").setCameraId("cam-1").setCapturedAt(CAPTURED)
        .setFaceIndex(0)
        .setBox(new BoundingBox(10.5f, 20.25f, 110.5f, 140.75f))
        .setLandmarks(List.of(new Point(40f, 60f), new Point(80f, 60f), new Point(60f, 85f),
            new Point(45f, 110f), new Point(78f, 110f)))
        .setDetectionScore(0.9987f)
        .setAlignedCrop(ByteBuffer.wrap(PNG))
        .setDetectorVersion("mtcnn-1.0.24")
        .build();
  }

  static FrameResult frameResult() {
    return FrameResult.newBuilder()
        .setFrameId("cam-1-000043").setCameraId("cam-1").setCapturedAt(CAPTURED)
        .setFaceCount(0).setLatencyMs(17L).setDetectorVersion("mtcnn-1.0.24")
        .build();
  }

  static List<Float> unitVector(int dimension) {
    List<Float> vector = new ArrayList<>(dimension);
    float component = (float) (1.0 / Math.sqrt(dimension));
    for (int i = 0; i < dimension; i++) {
      vector.add(i % 2 == 0 ? component : -component);
    }
    return vector;
  }

  static FaceEmbedding faceEmbedding() {
    return FaceEmbedding.newBuilder()
        .setFaceId("cam-1-000042-0").setFrameId("cam-1-000042").setCameraId("cam-1").setCapturedAt(CAPTURED)
        .setVector(unitVector(192)).setModelVersion("mobilefacenet-1")
        .setAlignedCrop(ByteBuffer.wrap(PNG))
        .build();
  }

  static Match match() {
    return Match.newBuilder()
        .setFaceId("cam-1-000042-0").setFrameId("cam-1-000042").setCameraId("cam-1").setCapturedAt(CAPTURED)
        .setCandidates(List.of(new Candidate("id-ada", "Ada Lovelace", 0.71), new Candidate("id-x", null, 0.12)))
        .setDecision(Decision.KNOWN).setThreshold(0.43)
        .setModelVersion("mobilefacenet-1").setGalleryVersion(7L)
        .setMatchedAt(CAPTURED.plusMillis(35))
        .build();
  }

  static GallerySample gallerySample() {
    return GallerySample.newBuilder()
        .setIdentityId("id-ada").setSampleId("s-1").setVector(unitVector(192)).setModelVersion("mobilefacenet-1")
        .setSourceFaceId("cam-1-000042-0").setEnrolledAt(CAPTURED).setAlignedCrop(ByteBuffer.wrap(PNG))
        .build();
  }

  static Identity identity() {
    return Identity.newBuilder()
        .setIdentityId("id-ada").setDisplayName("Ada Lovelace").setMetadata(Map.of("team", "analytics"))
        .setCreatedAt(CAPTURED)
        .build();
  }

  static Feedback feedback() {
    return Feedback.newBuilder()
        .setFeedbackId("fb-1").setFaceId("cam-1-000042-0").setVerdict(Verdict.RELABEL).setIdentityId("id-ada")
        .setOperator("op-7").setAt(CAPTURED.plusSeconds(60))
        .build();
  }

  static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setModelName("mobilefacenet").setVersion("2").setArtifactUri("file:models/mobilefacenet-2.pt")
        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setMetrics(Map.of("macroF1", 0.91, "verificationAccuracy", 0.985))
        .setStatus(ModelStatus.CANDIDATE).setCreatedAt(CAPTURED)
        .build();
  }
}
