package org.aleph.kernel.finite;

/**
 * The quantities that {@link Verification} measures at each width, each averaged over the
 * networks of that width. All are relative, so that the fitted log-log slope against width
 * reads directly as an exponent; infinite-width theory predicts that each vanishes as the width
 * grows (at most like width^-1/2, Jacot et al. 2018; Lee et al. 2019).
 */
public enum Quantity {
    /** |K_emp - K|_F / |K|_F with K_emp the readout-conditional NNGP of one network. */
    NNGP_ERROR("nngp_error", "NNGP err"),
    /** |Theta_0 - Theta|_F / |Theta|_F, the empirical NTK at initialisation against the analytic NTK. */
    NTK_ERROR("ntk_error", "NTK err"),
    /** max over Dense layers of |W_T - W_0|_F / |W_0|_F after training. */
    WEIGHT_CHANGE("weight_change", "dW/W"),
    /** |Theta_T - Theta_0|_F / |Theta_0|_F, the change of the empirical NTK during training. */
    NTK_CHANGE("ntk_change", "dNTK/NTK"),
    /** rms(f_T - f_lin_T) / rms(y): real against linearised network after training. */
    LINEARIZATION_GAP("linearization_gap", "lin gap"),
    /** rms(f_T - f_inf_T) / rms(y): real network against the infinite-width prediction from the same f_0. */
    INFINITE_GAP("infinite_gap", "inf gap");

    private final String key;
    private final String header;

    Quantity(String key, String header) {
        this.key = key;
        this.header = header;
    }

    /** The JSON field name, e.g. {@code nngp_error}. */
    public String key() {
        return key;
    }

    /** A short column header for tables. */
    public String header() {
        return header;
    }
}
