package org.aleph.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plot API that {@code aleph phase}, {@code aleph dual} and later {@code aleph demo} share. */
class PlotTest {

    @TempDir
    Path dir;

    private static double[] grid(double a, double b, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a + (b - a) * i / (n - 1);
        }
        return x;
    }

    @Test
    void contourOfAParaboloidIsACircle() {
        // z = x^2 + y^2 at level 1: every vertex lies on the unit circle up to the linear
        // interpolation error (h^2 / 8 for spacing h), and the polygon's length is ~ 2 pi.
        double[] x = grid(-2, 2, 81);
        double[][] z = new double[81][81];
        for (int i = 0; i < 81; i++) {
            for (int j = 0; j < 81; j++) {
                z[i][j] = x[i] * x[i] + x[j] * x[j];
            }
        }
        List<Contours.Segment> segs = Contours.at(x, x, z, 1.0);
        double length = 0;
        for (Contours.Segment s : segs) {
            assertEquals(1.0, Math.hypot(s.x1(), s.y1()), 2e-3);
            assertEquals(1.0, Math.hypot(s.x2(), s.y2()), 2e-3);
            length += s.length();
        }
        assertEquals(2 * Math.PI, length, 2e-3);
        assertTrue(Contours.at(x, x, z, 100).isEmpty(), "no level set above the maximum");
    }

    @Test
    void saddleCellsGiveTwoSegmentsAndNonFiniteCellsNone() {
        double[] x = {0, 1};
        double[][] saddle = {{1, -1}, {-1, 1}}; // z[i][j]: corners (0,0)=1, (0,1)=-1, (1,0)=-1, (1,1)=1
        assertEquals(2, Contours.at(x, x, saddle, 0).size());
        double[][] hole = {{1, Double.NaN}, {-1, 1}};
        assertTrue(Contours.at(x, x, hole, 0).isEmpty());
    }

    @Test
    void divergingPaletteIsWhiteAtTheCentreAndSaturatesOutside() {
        Palette p = Palette.diverging(0, 1, 2);
        assertEquals(new Color(0xF7F7F7), p.getPaint(1.0));
        assertEquals(p.getPaint(0.0), p.getPaint(-5.0));
        assertEquals(p.getPaint(2.0), p.getPaint(9.0));
        Color low = (Color) p.getPaint(0.2);
        Color high = (Color) p.getPaint(1.8);
        assertTrue(low.getBlue() > low.getRed() && high.getRed() > high.getBlue(), "blue below, red above");
        assertEquals(new Color(0xDDDDDD), p.getPaint(Double.NaN));
    }

    @Test
    void figuresAreWrittenAsPngAndSvg() throws IOException {
        double[] x = grid(0, 1, 11);
        double[] y = new double[11];
        for (int i = 0; i < 11; i++) {
            y[i] = x[i] * x[i];
        }
        Figure f = Figure.of(LinePlot.titled("squares").x("x").y("x^2").series("x^2", x, y).dashed("identity", x, x).chart(),
                LinePlot.titled("log").x("x").y("y").logY().markers("y", x, y).chart());
        List<Path> files = f.save(dir.resolve("fig"));
        assertEquals(List.of(dir.resolve("fig.png"), dir.resolve("fig.svg")), files);
        BufferedImage img = ImageIO.read(files.get(0).toFile());
        assertEquals(2 * Figure.PANEL_WIDTH, img.getWidth());
        assertEquals(Figure.HEIGHT, img.getHeight());
        String svg = Files.readString(files.get(1));
        assertTrue(svg.startsWith("<?xml") && svg.contains("squares") && svg.trim().endsWith("</svg>"));
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
}
