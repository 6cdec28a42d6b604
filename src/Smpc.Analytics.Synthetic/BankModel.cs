namespace Smpc.Analytics.Synthetic;

/// <summary>A customer's values in the bank file (the same for every record of that customer). Money in cents.</summary>
internal sealed record BankValues(string State, long DepositsCents, long BalanceCents, bool Delinquent, long[] SpendCents);

/// <summary>
/// Bank-like customers. Annual earnings come from the survey salary when the person is a respondent, else
/// from an age profile and the person's earning potential; veterans' VA compensation is usually paid into
/// this account. Monthly deposits = take-home share of earnings (+ benefit); balance = deposits × months of
/// savings (age and thrift); delinquency is likelier with low thrift, a thin cushion and youth; spending
/// splits a fraction of deposits over categories (health care grows with age and disability).
/// </summary>
internal static class BankModel
{
    public static readonly IReadOnlyList<string> SpendCategories = ["housing", "groceries", "transport", "utilities", "health", "dining", "other"];
    static readonly double[] BaseShare = [0.32, 0.13, 0.12, 0.08, 0.05, 0.06, 0.24];

    public static BankValues For(Person p, ulong seed)
    {
        if (!p.InBank) throw new ArgumentException($"Person {p.Id} is not in the bank's file.");
        var veteran = p.InVeterans ? VeteranModel.For(p, seed) : null;
        var survey = p.InSurvey ? SurveyModel.For(p, seed) : null;
        var rng = new Prng(seed, Prng.Stream.Bank, p.Index);
        string state = rng.Chance(0.04) ? States.Everyone.Pick(rng) : p.State;
        int age = p.Age;

        double earnings;
        if (survey is { Salary: int salary }) earnings = salary;
        else
        {
            double median = age switch { < 25 => 28_000, < 35 => 48_000, < 55 => 62_000, < 65 => 58_000, _ => 34_000 };
            earnings = median * DetMath.Exp(0.6 * p.IncomeZ);
        }
        if (veteran is not null) earnings *= 0.95;
        double deposits = earnings / 12 * 0.78 * Math.Min(1, rng.Uniform(0.4, 1.0) * rng.LogNormal(0, 0.2));   // share of pay banked here
        if (veteran is not null && rng.Chance(0.9)) deposits += veteran.BenefitCents / 100.0;
        deposits = Math.Min(Math.Round(deposits, 2, MidpointRounding.AwayFromZero), 199_999.99);

        double months = age < 35 ? 0.8 : age < 55 ? 1.8 : 3.2;
        double balance = deposits * months * DetMath.Exp(0.9 * p.ThriftZ + 0.3 * rng.Normal());
        bool overdrawn = rng.Chance(age < 35 ? 0.04 : 0.02);
        if (overdrawn) balance = -rng.Uniform(5, 800);
        balance = Math.Min(balance, 9_999_999.99);

        double cushion = DetMath.Log(1 + Math.Max(balance, 0) / Math.Max(deposits, 100));
        double pLate = Prng.Logistic(-2.8 - 0.8 * p.ThriftZ - 0.35 * cushion + (age < 35 ? 0.5 : 0) - (age >= 65 ? 0.3 : 0) + (overdrawn ? 0.8 : 0));
        bool delinquent = rng.Chance(pLate);

        double total = deposits * rng.Uniform(0.75, 1.05);
        var shares = new double[BaseShare.Length];
        double sum = 0;
        for (int i = 0; i < shares.Length; i++)
        {
            double s = BaseShare[i];
            if (i == 4) s += 0.001 * Math.Max(0, age - 40) + 0.0004 * (veteran?.Rating ?? 0);
            shares[i] = s * rng.LogNormal(0, 0.25);
            sum += shares[i];
        }
        var spend = shares.Select(s => Cents(total * s / sum)).ToArray();
        return new BankValues(state, Cents(deposits), Cents(balance), delinquent, spend);
    }

    static long Cents(double dollars) => (long)Math.Round(dollars * 100, MidpointRounding.AwayFromZero);
}
