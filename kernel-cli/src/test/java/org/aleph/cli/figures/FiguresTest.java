package org.aleph.cli.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.aleph.cli.plot.Figure;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.SphereSpectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures drawn from plain data, without a command: each is written as PNG and SVG with
 * its size and its titles (the figures of {@code phase} and {@code demo} are checked through
 * their commands in PhaseCommandTest and DemoCommandTest).
 */
class FiguresTest {

    @TempDir
    Path dir;

    /** Saves the figure; checks the PNG's size; returns the SVG's text. */
    private String saved(Figure f, int width, int height) throws IOException {
        List<Path> files = f.save(dir.resolve("fig"));
        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertEquals(width, png.getWidth());
        assertEquals(height, png.getHeight());
        String svg = Files.readString(files.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<?xml") && svg.strip().endsWith("</svg>"));
        return svg;
    }

    @Test
    void dualFigureShowsEveryDepthUpTo8AndThenPowersOfTwo() throws IOException {
        assertArrayEquals(new int[] {1, 2, 3}, DualFigure.shownDepths(3));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, DualFigure.shownDepths(8));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 20}, DualFigure.shownDepths(20));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16}, DualFigure.shownDepths(16));
    }

    @Test
    void spectrumFigureHasTwoPanelsWithTheActivationAndTheSphere() throws IOException {
        // kappa(t) = exp(t) on S^2: every eigenvalue positive; a_2 = 0 is left out of the log plot
        SphereSpectrum nngp = SphereSpectrum.of(t -> java.util.Arrays.stream(t).map(Math::exp).toArray(), 3, 4);
        SphereSpectrum ntk = SphereSpectrum.of(t -> java.util.Arrays.stream(t).map(v -> 2 * Math.exp(v)).toArray(), 3, 4);
        String svg = saved(SpectrumFigure.of("Softplus", new double[] {1, 0.5, 0, 0.1, 0.01}, nngp, ntk),
                2 * Figure.PANEL_WIDTH, Figure.HEIGHT);
        assertTrue(svg.contains("Softplus: Hermite spectrum"), "first title");
        assertTrue(svg.contains("Eigenvalues on S^2 by degree"), "second title names the sphere S^(d-1) of d = 3");
        assertTrue(svg.contains("NNGP") && svg.contains("NTK"), "legend");
    }

    @Test
    void sweepFigureHasTwoPanelsAndSaturatesTheAccuracyBelowItsTop() throws IOException {
        double[] sw2 = {1, 2, 3};
        double[] sb2 = {0, 0.5, 1};
        double[][] accuracy = {{0.5, 0.6, 0.7}, {0.8, 0.9, 0.85}, {0.6, 0.7, 0.55}};
        double[][] lml = {{-30, -20, -25}, {-12, -10, -11}, {-40, -35, -50}};
        double[] fx = {1, 1.5, 2, 2.5, 3};
        double[] fy = {0, 0.25, 0.5, 0.75, 1};
        double[][] chi = new double[5][5];
        double[][] logXi = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                chi[i][j] = fx[i] / 2 - fy[j] / 4; // crosses 1 inside the grid
                logXi[i][j] = 1.5 - Math.abs(chi[i][j] - 1);
            }
        }
        CriticalLine line = new CriticalLine(new double[] {0.1, 1}, new double[] {2, 2.6}, new double[] {0, 0.8});
        GridSweep.Point best = new GridSweep.Point(2, 0.5, 2, 0.9, Double.NaN, -10.5, 1);
        GridSweep.Point likeliest = new GridSweep.Point(2, 0.5, 2, 0.9, Double.NaN, -10, 1);
        Figure f = SweepFigure.of("Erf", 2, new SweepFigure.Scores(sw2, sb2, accuracy, lml, true),
                new SweepFigure.MeanFieldMap(fx, fy, chi, logXi), line, best, likeliest);
        String svg = saved(f, SweepFigure.WIDTH, SweepFigure.HEIGHT);
        assertTrue(svg.contains("Erf, depth 2: validation accuracy"), "first title");
        assertTrue(svg.contains("Erf, depth 2: log marginal likelihood"), "second title");
        // accuracies span 0.5..0.9, more than 0.15: the colour scale covers only 0.75..0.9 (ticks every 0.005)
        assertTrue(svg.contains(">0.750</text>") && svg.contains(">0.900</text>"), "the colour scale starts at the top minus 0.15");
        assertTrue(!svg.contains(">0.745</text>") && !svg.contains(">0.500</text>"), "and nothing below it");
        assertTrue(svg.contains("best (2.00, 0.500)"), "the best point in the legend");
    }
}
