// Discrete Laplace noise drawn jointly by the three compute parties, added to shared counts and sums.
//
// What: the geometric (discrete Laplace) mechanism adds Z with P(Z = z) ∝ α^|z|, α = exp(−ε/Δ), to an integer
// statistic of L1 sensitivity Δ; it is ε-differentially private (Ghosh, Roughgarden & Sundararajan, "Universally
// utility-maximizing privacy mechanisms", STOC 2009, §2; Z = G1 − G2 for i.i.d. geometric G1, G2, Inusah &
// Kozubowski 2006). Fixed-point statistics are integers on the encoded grid, so Δ is the declared bound in
// encoded units and the mechanism is exact on that grid.
// Construction (distributed noise generation, Dwork, Kenthapadi, McSherry, Mironov & Naor, "Our data, ourselves",
// EUROCRYPT 2006, §1.2 and §4): each compute party draws its own full discrete Laplace sample with its own OS
// randomness and inputs it as a secret (IComputeEngine.SumOfPartyContributions); the noise is the shared sum of
// the three. No single party knows the noise: one party's own draw is independent of the other two. Every single
// draw is already ε-DP noise, and adding independent noise is post-processing, so the release stays ε-DP against
// the analyst together with any one (even any two) compute parties. The price is variance: 3·2α/(1−α)² instead
// of 2α/(1−α)². (Pólya-split noise — each party NB(1/2, α) − NB(1/2, α), so that any two parties sum to exactly
// one discrete Laplace — would cut this to 1.5×; Goryczka & Xiong, IEEE TDSC 2017, §4.2. Not used: it needs exact
// gamma–Poisson sampling.)
// Sampling: G = floor(ln U / ln α) for U uniform in (0, 1] from 53 random bits (inversion). Floating-point
// caveat (Mironov, CCS 2012): the low-order bits of a double-based sampler are not exactly geometric; the
// deviation is below 2^−50 in probability per value.
// Security: semi-honest, honest majority. Leakage: none (noise and noisy values stay shared until released).
// Cost: one input round per party (3 rounds), one ring element per value per link.
using System.Security.Cryptography;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Disclosure;

public static class DistributedNoise
{
    /// <summary>Shared noise vector: the sum of one discrete Laplace draw per party per element, with α = exp(−ε/Δ).</summary>
    public static SecretVector DiscreteLaplace(IComputeEngine e, int length, double epsilon, double sensitivity)
    {
        double alpha = Alpha(epsilon, sensitivity);
        return e.SumOfPartyContributions(length, _ => Sample(alpha, length));
    }

    public static double Alpha(double epsilon, double sensitivity)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        if (!(sensitivity > 0) || double.IsInfinity(sensitivity)) throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "Sensitivity must be positive.");
        return Math.Exp(-epsilon / sensitivity);
    }

    /// <summary>Variance of the total noise (three draws): 3 · 2α / (1 − α)².</summary>
    public static double Variance(double alpha) => 3 * 2 * alpha / ((1 - alpha) * (1 - alpha));

    /// <summary>One party's draws: G1 − G2 with G ~ geometric(1 − α) on {0, 1, …}, as ring elements.</summary>
    public static ulong[] Sample(double alpha, int length)
    {
        var words = new ulong[2 * length];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
        var result = new ulong[length];
        double logAlpha = Math.Log(alpha);
        for (int i = 0; i < length; i++)
            result[i] = unchecked((ulong)(Geometric(words[2 * i], logAlpha) - Geometric(words[2 * i + 1], logAlpha)));
        return result;
    }

    static long Geometric(ulong word, double logAlpha)
    {
        double u = ((word >> 11) + 1) * Math.ScaleB(1.0, -53);     // (0, 1]
        double g = Math.Floor(Math.Log(u) / logAlpha);
        return g >= Math.ScaleB(1.0, 60) ? 1L << 60 : (long)g;
    }
}
