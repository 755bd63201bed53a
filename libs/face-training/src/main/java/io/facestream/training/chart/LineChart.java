package io.facestream.training.chart;

import io.facestream.training.evaluation.CurvePoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG line chart of curves on the unit square (ROC, precision-recall): labelled axes with ticks every 0.2,
 * an optional diagonal for reference, one coloured line per series and a legend. Java2D, headless.
 */
public final class LineChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private LineChart() {
    }

    public static void write(Path png, String title, String xLabel, String yLabel, boolean diagonal,
            List<Series> series) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            axes(g, title, xLabel, yLabel);
            if (diagonal) {
                g.setColor(Color.LIGHT_GRAY);
                g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 4}, 0));
                g.drawLine(px(0), py(0), px(1), py(1));
            }
            g.setStroke(new BasicStroke(2));
            int legendY = TOP + 20;
            for (Series s : series) {
                g.setColor(s.color());
                Path2D line = new Path2D.Double();
                boolean first = true;
                for (CurvePoint p : s.points()) {
                    if (first) {
                        line.moveTo(x(p.x()), y(p.y()));
                        first = false;
                    } else {
                        line.lineTo(x(p.x()), y(p.y()));
                    }
                }
                g.draw(line);
                int lx = WIDTH - RIGHT - 200;
                g.drawLine(lx, legendY - 4, lx + 24, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), lx + 30, legendY);
                legendY += 18;
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private static void axes(Graphics2D g, String title, String xLabel, String yLabel) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(px(0), py(1), px(1) - px(0), py(0) - py(1));
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            String label = String.format(Locale.ROOT, "%.1f", v);
            g.drawLine(px(v), py(0), px(v), py(0) + 5);
            g.drawString(label, px(v) - 8, py(0) + 20);
            g.drawLine(px(0) - 5, py(v), px(0), py(v));
            g.drawString(label, px(0) - 30, py(v) + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, (px(0) + px(1)) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 15);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(py(0) + py(1)) / 2 - g.getFontMetrics().stringWidth(yLabel) / 2, 20);
        g.setTransform(saved);
    }

    private static double x(double v) {
        return LEFT + v * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double v) {
        return HEIGHT - BOTTOM - v * (HEIGHT - TOP - BOTTOM);
    }

    private static int px(double v) {
        return (int) Math.round(x(v));
    }

    private static int py(double v) {
        return (int) Math.round(y(v));
    }
}
