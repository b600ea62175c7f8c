package org.aleph.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.aleph.kernel.io.AtomicFiles;
import org.aleph.kernel.io.OutputGroup;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/**
 * One or more JFreeChart charts side by side, written headless as PNG (raster) and SVG
 * (vector, JFreeSVG). Files are written atomically ({@link AtomicFiles}): complete or absent.
 *
 * <pre>{@code
 * Figure f = Figure.of(LinePlot.titled("Dual activation").x("rho").y("kappa(rho)").series("L = 1", x, y).chart());
 * f.save(Path.of("out/dual"));      // out/dual.png and out/dual.svg
 * }</pre>
 */
public final class Figure {

    static {
        // no display: charts are drawn into images, never into windows
        System.setProperty("java.awt.headless", "true");
    }

    /** Default size of one panel in pixels (SVG user units). */
    public static final int PANEL_WIDTH = 720;
    /** Default height in pixels (SVG user units). */
    public static final int HEIGHT = 540;

    private final List<JFreeChart> panels;
    private final int width;
    private final int height;
    private final int columns;

    private Figure(List<JFreeChart> panels, int width, int height) {
        this(panels, width, height, panels.size());
    }

    private Figure(List<JFreeChart> panels, int width, int height, int columns) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one chart");
        }
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("figure size " + width + " x " + height + " is too small");
        }
        this.panels = List.copyOf(panels);
        this.width = width;
        this.height = height;
        this.columns = Math.max(1, Math.min(columns, panels.size()));
    }

    /** The charts side by side, {@value #PANEL_WIDTH} x {@value #HEIGHT} pixels each. */
    public static Figure of(JFreeChart... charts) {
        return new Figure(List.of(charts), PANEL_WIDTH * charts.length, HEIGHT);
    }

    /**
     * The charts in a grid of {@code columns} columns, filled row by row, each panel
     * {@code panelWidth} x {@code panelHeight} pixels.
     */
    public static Figure grid(int columns, int panelWidth, int panelHeight, List<JFreeChart> charts) {
        if (columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one column, got " + columns);
        }
        int rows = (charts.size() + columns - 1) / columns;
        return new Figure(charts, panelWidth * Math.min(columns, Math.max(1, charts.size())), panelHeight * Math.max(1, rows), columns);
    }

    /** The same charts at a given total size. */
    public Figure size(int newWidth, int newHeight) {
        return new Figure(panels, newWidth, newHeight, columns);
    }

    /** Total width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** Draws every panel into {@code g} within the rectangle (0, 0, width, height). */
    public void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        int rows = (panels.size() + columns - 1) / columns;
        double w = (double) width / columns;
        double h = (double) height / rows;
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).draw(g, new Rectangle2D.Double(i % columns * w, i / columns * h, w, h));
        }
    }

    /** The figure as an RGB image. */
    public BufferedImage image() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The figure as an SVG document. */
    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setGeomDoubleConverter(Figure::twoDecimals); // a hundredth of a pixel: about a fifth smaller
        draw(g);
        return g.getSVGDocument();
    }

    private static String twoDecimals(double v) {
        double r = Math.rint(v * 100) / 100;
        return r == Math.rint(r) && Math.abs(r) < 1e15 ? Long.toString((long) r) : Double.toString(r);
    }

    /** Writes the PNG file, atomically. */
    public void savePng(Path file) throws IOException {
        BufferedImage img = image();
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    /** Writes the SVG file, atomically. */
    public void saveSvg(Path file) throws IOException {
        byte[] bytes = svg().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * Stages {@code base.png} and {@code base.svg} in {@code group} (they appear at its commit,
     * together with the command's other outputs); returns the two paths.
     *
     * @throws org.aleph.kernel.UserErrorException when a file cannot be written
     */
    public List<Path> stage(OutputGroup group, Path base) {
        Objects.requireNonNull(base, "base");
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        BufferedImage img = image();
        group.stage(png, "--out", out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
        byte[] bytes = svg().getBytes(StandardCharsets.UTF_8);
        group.stage(svg, "--out", out -> out.write(bytes));
        return List.of(png, svg);
    }

    /**
     * Writes {@code base.png} and {@code base.svg}; returns the two paths.
     *
     * @throws UncheckedIOException when a file cannot be written
     */
    public List<Path> save(Path base) {
        Objects.requireNonNull(base, "base");
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        try {
            savePng(png);
            saveSvg(svg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + base + ".png/.svg: " + e.getMessage(), e);
        }
        return List.of(png, svg);
    }
}
