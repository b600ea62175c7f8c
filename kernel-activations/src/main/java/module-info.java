/**
 * Aleph's built-in activations: closed forms from the literature (package
 * {@code org.aleph.kernel.activations}), and smooth nonlinearities without one served by the
 * quadrature fallback ({@code org.aleph.kernel.activations.quadrature}). Nothing is exported:
 * the activations are reached through the registry by name.
 *
 * @provides org.aleph.kernel.spi.ActivationProvider with every built-in activation: Relu,
 *           LeakyRelu, ABRelu, Abs, Erf, Gelu, Sin, Cos, Exp, Gaussian, Gabor, Sign, Monomial,
 *           RectifiedMonomial, Polynomial, Hermite, Rbf, Sigmoid_like, ExpNormalized (closed forms) and Tanh, Sigmoid, Softplus,
 *           Silu, Elu, Selu, Mish (quadrature)
 */
module org.aleph.kernel.activations {
    requires org.aleph.kernel;
    requires hipparchus.core;

    provides org.aleph.kernel.spi.ActivationProvider with
            org.aleph.kernel.activations.ReluProvider,
            org.aleph.kernel.activations.LeakyReluProvider,
            org.aleph.kernel.activations.ABReluProvider,
            org.aleph.kernel.activations.AbsProvider,
            org.aleph.kernel.activations.ErfProvider,
            org.aleph.kernel.activations.GeluProvider,
            org.aleph.kernel.activations.SinProvider,
            org.aleph.kernel.activations.CosProvider,
            org.aleph.kernel.activations.ExpProvider,
            org.aleph.kernel.activations.GaussianProvider,
            org.aleph.kernel.activations.GaborProvider,
            org.aleph.kernel.activations.SignProvider,
            org.aleph.kernel.activations.MonomialProvider,
            org.aleph.kernel.activations.RectifiedMonomialProvider,
            org.aleph.kernel.activations.PolynomialProvider,
            org.aleph.kernel.activations.HermiteProvider,
            org.aleph.kernel.activations.RbfProvider,
            org.aleph.kernel.activations.SigmoidLikeProvider,
            org.aleph.kernel.activations.ExpNormalizedProvider,
            org.aleph.kernel.activations.quadrature.TanhProvider,
            org.aleph.kernel.activations.quadrature.SigmoidProvider,
            org.aleph.kernel.activations.quadrature.SoftplusProvider,
            org.aleph.kernel.activations.quadrature.SiluProvider,
            org.aleph.kernel.activations.quadrature.EluProvider,
            org.aleph.kernel.activations.quadrature.SeluProvider,
            org.aleph.kernel.activations.quadrature.MishProvider;
}
