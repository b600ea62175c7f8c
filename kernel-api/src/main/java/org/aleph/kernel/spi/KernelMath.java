package org.aleph.kernel.spi;

/**
 * Inverse trigonometric functions for activation hot loops, ported from fdlibm 5.3
 * ({@code e_acos.c}, {@code e_asin.c}, {@code s_atan.c}, {@code e_atan2.c}, Sun Microsystems 1993) exactly as
 * {@link StrictMath} implements them: the results are bit-for-bit those of
 * {@code StrictMath.acos} / {@code asin} / {@code atan} / {@code atan2} (error below 1 ulp), but as small static
 * methods the JIT inlines them into the caller's loop, where {@code Math.acos}, for which HotSpot
 * has no intrinsic, is called out of line at many times the cost, and {@code Math.atan2} too
 * (docs/performance.md has the measurements). For x &gt; 0 and |y| &lt;= x, {@code atan(y / x)} is bit-for-bit fdlibm's
 * {@code atan2(y, x)} (e_atan2.c computes exactly that quotient in this case).
 */
public final class KernelMath {

    private static final double PI = 3.14159265358979311600e+00;
    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PIO4_HI = 7.85398163397448278999e-01;
    private static final double PS0 = 1.66666666666666657415e-01;
    private static final double PS1 = -3.25565818622400915405e-01;
    private static final double PS2 = 2.01212532134862925881e-01;
    private static final double PS3 = -4.00555345006794114027e-02;
    private static final double PS4 = 7.91534994289814532176e-04;
    private static final double PS5 = 3.47933107596021167570e-05;
    private static final double QS1 = -2.40339491173441421878e+00;
    private static final double QS2 = 2.02094576023350569471e+00;
    private static final double QS3 = -6.88283971605453293030e-01;
    private static final double QS4 = 7.70381505559019352791e-02;
    private static final double HUGE = 1.000e+300;
    /** atan(0.5), atan(1), atan(1.5), atan(inf): high and low parts (fdlibm s_atan.c). */
    private static final double[] ATAN_HI = {
        4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01,
        1.57079632679489655800e+00};
    private static final double[] ATAN_LO = {
        2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17,
        6.12323399573676603587e-17};
    private static final double PI_LO = 1.2246467991473531772e-16;
    private static final double AT0 = 3.33333333333329318027e-01;
    private static final double AT1 = -1.99999999998764832476e-01;
    private static final double AT2 = 1.42857142725034663711e-01;
    private static final double AT3 = -1.11111104054623557880e-01;
    private static final double AT4 = 9.09088713343650656196e-02;
    private static final double AT5 = -7.69187620504482999495e-02;
    private static final double AT6 = 6.66107313738753120669e-02;
    private static final double AT7 = -5.83357013379057348645e-02;
    private static final double AT8 = 4.97687799461593236017e-02;
    private static final double AT9 = -3.65315727442169155270e-02;
    private static final double AT10 = 1.62858201153657823623e-02;

    private KernelMath() {
    }

    /** The upper 32 bits of a non-negative double, as fdlibm compares them. */
    private static int highWord(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    /** p(z)/q(z), fdlibm's rational approximation of (asin(x) - x)/x^3 in z = x^2. */
    private static double ratio(double z) {
        double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        return p / q;
    }

    /** arccos(x) in [0, pi], identical to {@link StrictMath#acos}; NaN outside [-1, 1]. */
    public static double acos(double x) {
        double ax = Math.abs(x);
        if (ax >= 1.0) {
            return x == 1.0 ? 0.0 : (x == -1.0 ? PI : Double.NaN);
        }
        if (ax < 0.5) {
            if (highWord(ax) <= 0x3c600000) { // |x| < 2^-57
                return PIO2_HI + PIO2_LO;
            }
            return PIO2_HI - (x - (PIO2_LO - x * ratio(x * x)));
        }
        if (x < 0) {
            double z = (1.0 + x) * 0.5;
            double s = Math.sqrt(z);
            double w = ratio(z) * s - PIO2_LO;
            return PI - 2.0 * (s + w);
        }
        double z = (1.0 - x) * 0.5;
        double s = Math.sqrt(z);
        double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
        double c = (z - df * df) / (s + df);
        double w = ratio(z) * s + c;
        return 2.0 * (df + w);
    }

    /** arcsin(x) in [-pi/2, pi/2], identical to {@link StrictMath#asin}; NaN outside [-1, 1]. */
    public static double asin(double x) {
        double ax = Math.abs(x);
        if (ax >= 1.0) {
            return ax == 1.0 ? x * PIO2_HI + x * PIO2_LO : Double.NaN;
        }
        if (ax < 0.5) {
            if (highWord(ax) < 0x3e400000) { // |x| < 2^-27
                if (HUGE + x > 1.0) {
                    return x; // return x with inexact if x != 0
                }
            }
            return x + x * ratio(x * x);
        }
        double w = 1.0 - ax;
        double t = w * 0.5;
        double r = ratio(t);
        double s = Math.sqrt(t);
        double result;
        if (highWord(ax) >= 0x3fef3333) { // |x| > 0.975
            result = PIO2_HI - (2.0 * (s + s * r) - PIO2_LO);
        } else {
            double f = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
            double c = (t - f * f) / (s + f);
            double p = 2.0 * s * r - (PIO2_LO - 2.0 * c);
            double q = PIO4_HI - 2.0 * f;
            result = PIO4_HI - (p - q);
        }
        return x > 0 ? result : -result;
    }

    /** arctan(x) in [-pi/2, pi/2], identical to {@link StrictMath#atan}. */
    public static double atan(double x) {
        int hx = (int) (Double.doubleToRawLongBits(x) >>> 32);
        int ix = hx & 0x7fffffff;
        int id;
        if (ix >= 0x44100000) { // |x| >= 2^66, or NaN
            if (Double.isNaN(x)) {
                return x + x;
            }
            return hx > 0 ? ATAN_HI[3] + ATAN_LO[3] : -ATAN_HI[3] - ATAN_LO[3];
        }
        if (ix < 0x3fdc0000) { // |x| < 0.4375
            if (ix < 0x3e200000) { // |x| < 2^-29: atan(x) = x to within half an ulp
                return x;
            }
            id = -1;
        } else {
            x = Math.abs(x);
            if (ix < 0x3ff30000) { // |x| < 1.1875
                if (ix < 0x3fe60000) { // 7/16 <= |x| < 11/16
                    id = 0;
                    x = (2.0 * x - 1.0) / (2.0 + x);
                } else { // 11/16 <= |x| < 19/16
                    id = 1;
                    x = (x - 1.0) / (x + 1.0);
                }
            } else if (ix < 0x40038000) { // |x| < 2.4375
                id = 2;
                x = (x - 1.5) / (1.0 + 1.5 * x);
            } else { // 2.4375 <= |x| < 2^66
                id = 3;
                x = -1.0 / x;
            }
        }
        double z = x * x;
        double w = z * z;
        double s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
        double s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
        if (id < 0) {
            return x - x * (s1 + s2);
        }
        z = ATAN_HI[id] - ((x * (s1 + s2) - ATAN_LO[id]) - x);
        return hx < 0 ? -z : z;
    }

    /**
     * The angle of (x, y) in [-pi, pi], identical to {@link StrictMath#atan2}. Zero, infinite and
     * NaN arguments (never in a kernel's hot loop) are passed on to StrictMath itself.
     */
    public static double atan2(double y, double x) {
        long bx = Double.doubleToRawLongBits(x);
        long by = Double.doubleToRawLongBits(y);
        int hx = (int) (bx >>> 32);
        int hy = (int) (by >>> 32);
        int ix = hx & 0x7fffffff;
        int iy = hy & 0x7fffffff;
        if (ix >= 0x7ff00000 || iy >= 0x7ff00000 || (bx << 1) == 0 || (by << 1) == 0) {
            return StrictMath.atan2(y, x);
        }
        if (bx == 0x3ff0000000000000L) { // x = 1
            return atan(y);
        }
        int k = (iy - ix) >> 20;
        double z;
        if (k > 60) { // |y / x| > 2^60
            z = PIO2_HI + 0.5 * PI_LO;
        } else if (hx < 0 && k < -60) { // |y| / x < -2^60
            z = 0.0;
        } else {
            z = atan(Math.abs(y / x));
        }
        if (hx >= 0) {
            return hy >= 0 ? z : -z;
        }
        return hy >= 0 ? PI - (z - PI_LO) : (z - PI_LO) - PI;
    }
}
