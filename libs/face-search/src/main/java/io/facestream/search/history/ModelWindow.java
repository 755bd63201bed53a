package io.facestream.search.history;

/**
 * The capture-time span that faces embedded by one model version cover in the index: a query of that version
 * can only find faces in this window (history is not re-embedded after a model rollout).
 *
 * @param fromMs earliest capture time indexed (not before the retention cut-off)
 * @param toMs latest capture time indexed
 */
public record ModelWindow(String modelVersion, long fromMs, long toMs) {
}
