package io.facestream.training.chart;

import io.facestream.training.evaluation.CurvePoint;
import java.awt.Color;
import java.util.List;

/** One named line of a {@link LineChart}. */
public record Series(String name, List<CurvePoint> points, Color color) {

    public Series {
        points = List.copyOf(points);
    }
}
