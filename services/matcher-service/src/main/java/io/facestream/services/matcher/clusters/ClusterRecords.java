package io.facestream.services.matcher.clusters;

import io.facestream.clusters.density.ClusterView;
import io.facestream.clusters.density.UnknownFace;
import io.facestream.schema.ClusterFace;
import io.facestream.schema.FaceCluster;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** A cluster as the {@code clusters} topic carries it. */
final class ClusterRecords {

    /** Face ids one record lists at most (latest first), so a record stays far below Kafka's 1 MB. */
    static final int MAX_FACE_IDS = 2000;

    private ClusterRecords() {}

    static FaceCluster of(ClusterView k, Instant now) {
        List<ClusterFace> best = k.representatives().stream().map(ClusterRecords::face).toList();
        return FaceCluster.newBuilder().setClusterId(k.clusterId()).setSize(k.size()).setCameras(k.cameras())
                .setFirstSeenAt(k.firstSeen()).setLastSeenAt(k.lastSeen())
                .setFaceIds(k.faceIds().subList(0, Math.min(MAX_FACE_IDS, k.faceIds().size())))
                .setRepresentatives(best).setModelVersion(k.modelVersion()).setIdentityId(k.identityId())
                .setMergedInto(null).setUpdatedAt(now).build();
    }

    static FaceCluster merged(String absorbed, String survivor, Instant now) {
        return FaceCluster.newBuilder().setClusterId(absorbed).setSize(0).setCameras(List.of())
                .setFirstSeenAt(now).setLastSeenAt(now).setFaceIds(List.of()).setRepresentatives(List.of())
                .setModelVersion("").setIdentityId(null).setMergedInto(survivor).setUpdatedAt(now).build();
    }

    private static ClusterFace face(UnknownFace f) {
        return ClusterFace.newBuilder().setFaceId(f.faceId()).setCameraId(f.cameraId()).setQuality((float) f.quality())
                .setAlignedCrop(f.crop() == null ? null : ByteBuffer.wrap(f.crop())).build();
    }
}
