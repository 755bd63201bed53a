package io.facestream.training.chart;

import io.facestream.training.evaluation.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG heat map of a confusion matrix: rows are true identities, columns predicted ones, each cell shaded by
 * its share of the row (white 0, dark blue 1) and labelled with its count when the cells are large enough.
 */
public final class ConfusionChart {

    private static final int LABEL_SPACE = 130;
    private static final int MARGIN = 40;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ConfusionChart() {
    }

    public static void write(Path png, String title, ConfusionMatrix matrix) throws IOException {
        List<String> labels = matrix.labels();
        int n = labels.size();
        int cell = Math.max(8, Math.min(40, 900 / Math.max(1, n)));
        int size = LABEL_SPACE + n * cell + MARGIN;
        BufferedImage image = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title + " (rows: true identity, columns: predicted)", 10, 20);
            int top = LABEL_SPACE + 30;
            int fontSize = Math.max(7, Math.min(12, cell - 2));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
            for (int r = 0; r < n; r++) {
                int rowTotal = matrix.support(labels.get(r));
                for (int c = 0; c < n; c++) {
                    int count = matrix.counts()[r][c];
                    double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
                    g.setColor(shade(share));
                    g.fillRect(LABEL_SPACE + c * cell, top + r * cell, cell, cell);
                    if (count > 0 && cell >= 14) {
                        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                        g.drawString(Integer.toString(count), LABEL_SPACE + c * cell + 2, top + r * cell + cell - 3);
                    }
                }
                g.setColor(Color.BLACK);
                g.drawString(clip(labels.get(r)), 5, top + r * cell + cell - 2);
            }
            g.setColor(Color.GRAY);
            g.drawRect(LABEL_SPACE, top, n * cell, n * cell);
            AffineTransform saved = g.getTransform();
            g.setColor(Color.BLACK);
            for (int c = 0; c < n; c++) {
                g.setTransform(saved);
                g.translate(LABEL_SPACE + c * cell + cell - 2, top - 5);
                g.rotate(-Math.PI / 2);
                g.drawString(clip(labels.get(c)), 0, 0);
            }
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private static Color shade(double share) {
        int v = (int) Math.round(255 * (1 - share));
        return new Color(v, v, Math.min(255, v + (int) Math.round(120 * share)));
    }

    private static String clip(String label) {
        return label.length() <= 18 ? label : label.substring(0, 17) + "…";
    }
}
