package io.facestream.inference.analysis;

import java.util.Optional;

/** The result of looking for one face: the face if any, and whether the padded retry was needed. */
public record FaceLookup(Optional<AnalyzedFace> face, boolean padded) {
}
