/**
 * An example Aleph plug-in: the Swish activation, x sigmoid(beta x)
 * (Ramachandran, Zoph &amp; Le 2017, "Searching for activation functions", arXiv:1710.05941).
 *
 * @provides org.aleph.kernel.spi.ActivationProvider with {@code Swish}
 */
module org.example.swish {
    requires org.aleph.kernel;

    provides org.aleph.kernel.spi.ActivationProvider with org.example.swish.SwishProvider;
}
