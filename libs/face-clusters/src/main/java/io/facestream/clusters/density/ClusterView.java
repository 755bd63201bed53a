package io.facestream.clusters.density;

import java.time.Instant;
import java.util.List;

/**
 * One cluster as it stands.
 *
 * @param identityId the identity an operator named it to, or null
 * @param cameras sorted
 * @param faceIds latest first
 * @param representatives best quality first
 */
public record ClusterView(String clusterId, String identityId, int size, List<String> cameras, Instant firstSeen,
        Instant lastSeen, List<String> faceIds, List<UnknownFace> representatives, String modelVersion) {

    public ClusterView {
        cameras = List.copyOf(cameras);
        faceIds = List.copyOf(faceIds);
        representatives = List.copyOf(representatives);
    }
}
