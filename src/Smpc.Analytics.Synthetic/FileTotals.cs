using System.Text.Json;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Plaintext aggregates over every row of one agency file (duplicate records included, as a query over the
/// file would count them), accumulated while the rows are written. Money is summed in integer cents (exact).
/// </summary>
internal sealed class VeteransTotals
{
    long _rows, _benefitCents, _enrolled, _ageSum;
    readonly long[] _state = new long[States.Codes.Count], _era = new long[5], _band = new long[4], _benefitByBand = new long[4];
    readonly long[][] _eraSex = [new long[2], new long[2], new long[2], new long[2], new long[2]];

    /// <summary>One row: <paramref name="state"/> is the one the row carries.</summary>
    public void Add(Person p, VeteranValues v, string state)
    {
        int era = (int)p.Era!.Value, band = VeteranModel.DisabilityBands.IndexOf(v.DisabilityBand);
        _rows++; _benefitCents += v.BenefitCents; _ageSum += v.Age;
        if (v.Enrolled) _enrolled++;
        _state[States.Codes.IndexOf(state)]++;
        _era[era]++;
        _eraSex[era][p.Sex == "F" ? 0 : 1]++;
        _band[band]++;
        _benefitByBand[band] += v.BenefitCents;
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("veterans");
        w.WriteNumber("rows", _rows);
        w.Counts("rows_by_state", States.Codes, _state);
        w.Counts("rows_by_service_era", ServiceEras.Domain, _era);
        w.WriteStartObject("rows_by_service_era_and_sex");
        for (int e = 0; e < 5; e++) w.Counts(ServiceEras.Domain[e], ["F", "M"], _eraSex[e]);
        w.WriteEndObject();
        w.Counts("rows_by_disability_band", VeteranModel.DisabilityBands, _band);
        w.Ratios("mean_monthly_benefit_by_disability_band", VeteranModel.DisabilityBands, _benefitByBand.Select(c => c / 100.0).ToArray(), _band);
        w.WriteNumber("mean_monthly_benefit", _benefitCents / 100.0 / _rows);
        w.WriteNumber("healthcare_enrolled_rate", (double)_enrolled / _rows);
        w.WriteNumber("mean_age", (double)_ageSum / _rows);
        w.WriteEndObject();
    }
}

internal sealed class BankTotals
{
    long _rows, _deposits, _balance, _delinquent;
    readonly long[] _state = new long[States.Codes.Count], _spend = new long[BankModel.SpendCategories.Count];

    /// <summary>One row: <paramref name="state"/> is the one the row carries.</summary>
    public void Add(BankValues v, string state)
    {
        _rows++; _deposits += v.DepositsCents; _balance += v.BalanceCents;
        if (v.Delinquent) _delinquent++;
        _state[States.Codes.IndexOf(state)]++;
        for (int i = 0; i < _spend.Length; i++) _spend[i] += v.SpendCents[i];
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("bank");
        w.WriteNumber("rows", _rows);
        w.Counts("rows_by_state", States.Codes, _state);
        w.WriteNumber("mean_monthly_deposits", _deposits / 100.0 / _rows);
        w.WriteNumber("mean_balance", _balance / 100.0 / _rows);
        w.WriteNumber("delinquency_rate", (double)_delinquent / _rows);
        w.WriteStartObject("mean_spend");
        for (int i = 0; i < _spend.Length; i++) w.WriteNumber("spend_" + BankModel.SpendCategories[i], _spend[i] / 100.0 / _rows);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

internal sealed class SurveyTotals
{
    long _rows, _veterans, _ageRows, _ageSum, _salarySum, _weightedSalary, _salaryWeight;
    readonly long[] _sector = new long[SurveyModel.Sectors.Count], _weightBySector = new long[SurveyModel.Sectors.Count];
    readonly long[] _field = new long[SurveyModel.Fields.Count], _salaryByField = new long[SurveyModel.Fields.Count];
    readonly List<long> _salaries = [];
    readonly List<(long, long)> _weighted = [];

    public void Add(SurveyValues v, int? age)
    {
        _rows++;
        if (v.Veteran) _veterans++;
        if (age is { } a) { _ageRows++; _ageSum += a; }
        int sector = SurveyModel.Sectors.IndexOf(v.Sector);
        _sector[sector]++;
        _weightBySector[sector] += v.WeightCents;
        if (v.Salary is { } s)
        {
            int field = SurveyModel.Fields.IndexOf(v.Field);
            _field[field]++; _salaryByField[field] += s;
            _salarySum += s; _weightedSalary += s * v.WeightCents; _salaryWeight += v.WeightCents;
            _salaries.Add(s); _weighted.Add((s, v.WeightCents));
        }
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("survey");
        w.WriteNumber("rows", _rows);
        w.WriteNumber("rows_veteran", _veterans);
        w.NumberOrNull("mean_age", _ageRows == 0 ? null : (double)_ageSum / _ageRows);
        w.Counts("rows_by_employment_sector", SurveyModel.Sectors, _sector);
        w.WriteStartObject("weighted_count_by_employment_sector");
        for (int i = 0; i < _sector.Length; i++) w.WriteNumber(SurveyModel.Sectors[i], _weightBySector[i] / 100.0);
        w.WriteEndObject();
        w.WriteNumber("rows_with_salary", _salaries.Count);
        w.NumberOrNull("median_salary", Statistics.LowerMedian(_salaries));
        w.NumberOrNull("mean_salary", _salaries.Count == 0 ? null : (double)_salarySum / _salaries.Count);
        w.NumberOrNull("weighted_mean_salary", _salaryWeight == 0 ? null : (double)_weightedSalary / _salaryWeight);
        w.NumberOrNull("weighted_median_salary", Statistics.WeightedMedian(_weighted));
        w.Ratios("mean_salary_by_degree_field", SurveyModel.Fields, _salaryByField.Select(x => (double)x).ToArray(), _field);
        w.WriteEndObject();
    }
}
