package io.facestream.training.gate;

/** Whether a candidate model may replace the active one, and why, with the numbers compared. */
public record GateDecision(boolean accepted, String reason) {
}
