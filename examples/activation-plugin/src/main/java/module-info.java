/**
 * An example Aleph plug-in: the Swish activation, x sigmoid(beta x)
 * (Ramachandran, Zoph &amp; Le 2017, "Searching for activation functions", arXiv:1710.05941),
 * by quadrature, and SquaredRelu, max(0, x)^2, in closed form with kernel-api's support layer.
 *
 * @provides org.aleph.kernel.spi.ActivationProvider with {@code Swish} and {@code SquaredRelu}
 */
module org.example.swish {
    requires org.aleph.kernel;

    provides org.aleph.kernel.spi.ActivationProvider with org.example.swish.SwishProvider,
            org.example.swish.SquaredReluProvider;
}
