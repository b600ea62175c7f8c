package org.aleph.kernel.dynamics;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;

/**
 * Gradient-descent training in function space for any loss, by integrating the linearised
 * dynamics (Lee et al. 2019, eq. 6) for the training and test outputs together:
 * <pre>
 *   df_x/dtau = -Theta_{xx} grad L(f_x),   df_test/dtau = -Theta_{*x} grad L(f_x),   tau = eta t
 * </pre>
 * and, with momentum m (neural-tangents' continuous-time heavy ball, tau = sqrt(eta) t,
 * m' = (m - 1) / sqrt(eta)): df/dtau = q, dq/dtau = -Theta grad L(f) + m' q, q(0) = 0.
 * This is neural-tangents' {@code predict.gradient_descent}, solved here with Hipparchus's
 * adaptive Dormand-Prince 8(5,3) integrator (12 derivative evaluations per step, each one
 * O(n^2 k + m n k)). With the MSE loss and f(0) = 0 its result equals the closed-form
 * ensemble mean ({@link MseEnsemble}) to the integrator tolerance.
 */
public final class FunctionSpaceOde {

    /** Default relative tolerance of the integrator. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-12;
    /** Default absolute tolerance, relative to the largest |y| (or 1). */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-13;

    private final double[] theta;
    private final double[] y;
    private final int n;
    private final int k;
    private final double learningRate;
    private final Double momentum;
    private final LossGradient loss;
    private final LinearAlgebra la;
    private double relTol = DEFAULT_RELATIVE_TOLERANCE;
    private double absTol = DEFAULT_ABSOLUTE_TOLERANCE;
    private int evaluations;

    /**
     * @param ntkTrainTrain the NTK on the training points, n x n
     * @param y             the targets, n x k
     * @param learningRate  eta > 0
     * @param momentum      the momentum in [0, 1), or null for plain gradient descent
     * @param loss          the loss gradient
     */
    public FunctionSpaceOde(Matrix ntkTrainTrain, Matrix y, double learningRate, Double momentum, LossGradient loss,
                            LinearAlgebra la) {
        this.n = y.rows();
        this.k = y.cols();
        Checks.shape(ntkTrainTrain, n, n, "the NTK train-train kernel");
        Checks.finite(ntkTrainTrain, "the NTK train-train kernel");
        Checks.finite(y, "the training targets");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UserErrorException("the learning rate must be a finite number > 0, got " + learningRate + ".");
        }
        if (momentum != null && !(momentum >= 0 && momentum < 1)) {
            throw new UserErrorException("the momentum must be in [0, 1), got " + momentum + ".");
        }
        this.theta = ntkTrainTrain.data();
        this.y = y.data();
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.loss = loss;
        this.la = la;
    }

    /** The same ODE with other integrator tolerances (relative, and absolute in units of max |y|). */
    public FunctionSpaceOde withTolerances(double relative, double absolute) {
        if (!(relative > 0) || !(absolute > 0)) {
            throw new UserErrorException("ODE tolerances must be > 0, got " + relative + " and " + absolute + ".");
        }
        relTol = relative;
        absTol = absolute;
        return this;
    }

    /** Derivative evaluations used by the last {@link #solve}. */
    public int evaluations() {
        return evaluations;
    }

    /**
     * The outputs at the given times (finite, >= 0, non-decreasing), starting from f(0).
     *
     * @param ntkTestTrain Theta_{*x}, m x n, or null for training outputs only
     * @param f0Train      f at t = 0 on the training points (n x k), or null for 0
     * @param f0Test       f at t = 0 on the test points (m x k), or null for 0
     * @return one prediction per time: mean = training outputs when ntkTestTrain is null, test outputs otherwise
     */
    public List<OdeSolution> solve(double[] times, Matrix ntkTestTrain, Matrix f0Train, Matrix f0Test) {
        double previous = 0;
        for (double t : times) {
            if (!(t >= previous) || Double.isInfinite(t)) {
                throw new UserErrorException("ODE times must be finite, >= 0 and in increasing order, got " + t
                        + (t == Double.POSITIVE_INFINITY ? " (use the closed form for t = inf with the MSE loss)" : "") + ".");
            }
            previous = t;
        }
        int m = ntkTestTrain == null ? 0 : ntkTestTrain.rows();
        if (ntkTestTrain != null) {
            Checks.shape(ntkTestTrain, m, n, "the NTK test-train kernel");
            Checks.finite(ntkTestTrain, "the NTK test-train kernel");
        }
        double[] thetaTd = ntkTestTrain == null ? new double[0] : ntkTestTrain.data();
        boolean withMomentum = momentum != null;
        int block = (n + m) * k;
        double[] state = new double[withMomentum ? 2 * block : block];
        if (f0Train != null) {
            Checks.shape(f0Train, n, k, "the initial training outputs");
            System.arraycopy(f0Train.data(), 0, state, 0, n * k);
        }
        if (f0Test != null) {
            Checks.shape(f0Test, m, k, "the initial test outputs");
            System.arraycopy(f0Test.data(), 0, state, n * k, m * k);
        }
        double timeScale = withMomentum ? Math.sqrt(learningRate) : learningRate;
        double damping = withMomentum ? (momentum - 1) / Math.sqrt(learningRate) : 0;
        double[] grad = new double[n * k];
        double[] fTrain = new double[n * k];
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return state.length;
            }

            @Override
            public double[] computeDerivatives(double tau, double[] s) {
                double[] d = new double[s.length];
                System.arraycopy(s, 0, fTrain, 0, n * k);
                loss.gradient(fTrain, y, n, k, grad);
                double[] target = d;
                int off = 0;
                if (withMomentum) {
                    System.arraycopy(s, block, d, 0, block); // df/dtau = q
                    off = block;
                    for (int i = 0; i < block; i++) {
                        d[block + i] = damping * s[block + i];
                    }
                }
                double[] trainPart = new double[n * k];
                la.gemm(false, false, n, k, n, -1.0, theta, grad, 0.0, trainPart);
                double[] testPart = new double[m * k];
                if (m > 0) {
                    la.gemm(false, false, m, k, n, -1.0, thetaTd, grad, 0.0, testPart);
                }
                for (int i = 0; i < n * k; i++) {
                    target[off + i] += trainPart[i];
                }
                for (int i = 0; i < m * k; i++) {
                    target[off + n * k + i] += testPart[i];
                }
                return d;
            }
        };
        double scale = 1;
        for (double v : y) {
            scale = Math.max(scale, Math.abs(v));
        }
        double[] abs = new double[state.length];
        double[] rel = new double[state.length];
        java.util.Arrays.fill(abs, absTol * scale);
        java.util.Arrays.fill(rel, relTol);
        List<OdeSolution> out = new ArrayList<>();
        ODEState current = new ODEState(0, state.clone());
        evaluations = 0;
        for (double t : times) {
            double tau = t * timeScale;
            if (tau > current.getTime()) {
                DormandPrince853Integrator integrator = new DormandPrince853Integrator(0, Double.POSITIVE_INFINITY, abs, rel);
                ODEStateAndDerivative end = integrator.integrate(ode, current, tau);
                evaluations += integrator.getEvaluations();
                current = new ODEState(end.getTime(), end.getPrimaryState());
            }
            double[] s = current.getPrimaryState();
            Checks.finiteResult(s, "the ODE solution at t = " + t);
            double[] train = java.util.Arrays.copyOfRange(s, 0, n * k);
            double[] test = java.util.Arrays.copyOfRange(s, n * k, block);
            out.add(new OdeSolution(t, Matrix.wrap(n, k, train), Matrix.wrap(m, k, test)));
        }
        return out;
    }
}
