using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Smpc.Governance;

namespace Smpc.Registry.Data;

/// <summary>
/// The registry's database: Identity's tables and the governance types of <c>Smpc.Governance</c>, mapped here so the
/// rules stay free of EF. Two subclasses carry the provider-specific migrations (<see cref="SqliteRegistryDb"/>,
/// <see cref="PostgresRegistryDb"/>); code uses this type. All times are UTC.
/// </summary>
public abstract class RegistryDb(DbContextOptions options) : IdentityDbContext<RegistryUser>(options)
{
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<StudyMember> StudyMembers => Set<StudyMember>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<TermsVersion> TermsVersions => Set<TermsVersion>();
    public DbSet<TermsApproval> TermsApprovals => Set<TermsApproval>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<UploadReceipt> UploadReceipts => Set<UploadReceipt>();
    public DbSet<DestructionAttestation> DestructionAttestations => Set<DestructionAttestation>();
    public DbSet<StudyEvent> StudyEvents => Set<StudyEvent>();
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<LogEntryRow> LogEntries => Set<LogEntryRow>();
    public DbSet<LogHeadRow> LogHeads => Set<LogHeadRow>();
    public DbSet<LogCosignatureRow> LogCosignatures => Set<LogCosignatureRow>();
    public DbSet<LogKeyRow> LogKeys => Set<LogKeyRow>();
    public DbSet<ReleaseReviewRow> ReleaseReviews => Set<ReleaseReviewRow>();

    readonly List<Transparency.LogRecord> _logRecords = [];

    /// <summary>Queues a record for the transparency log; it is appended by the next SaveChanges, in its transaction.</summary>
    public void Record(Transparency.LogRecord record) => _logRecords.Add(record);

    internal List<Transparency.LogRecord> TakeLogRecords()
    {
        var taken = _logRecords.ToList();
        _logRecords.Clear();
        return taken;
    }
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<OrganisationSignIn> OrganisationSignIns => Set<OrganisationSignIn>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        // Keys are made by the domain types (Guid.NewGuid()), so a new object reached through a tracked study's
        // collections is inserted, not mistaken for an existing row.
        foreach (var type in new[] { typeof(Organisation), typeof(Person), typeof(Study), typeof(StudyMember), typeof(Dataset), typeof(TermsVersion),
                     typeof(TermsApproval), typeof(Commitment), typeof(UploadReceipt), typeof(DestructionAttestation), typeof(StudyEvent), typeof(PersonalAccessToken),
                     typeof(Invitation) })
            b.Entity(type).Property("Id").ValueGeneratedNever();
        b.Entity<Organisation>(e =>
        {
            e.ToTable("organisations");
            e.HasIndex(o => o.Slug).IsUnique();
            e.Property(o => o.Slug).HasMaxLength(64);
            e.Property(o => o.Name).HasMaxLength(200);
            e.HasMany(o => o.People).WithOne(p => p.Organisation).HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(o => o.PointOfContact).WithMany().HasForeignKey(o => o.PointOfContactId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Person>(e =>
        {
            e.ToTable("people");
            e.HasIndex(p => p.Email).IsUnique();
            e.Property(p => p.Email).HasMaxLength(256);
            e.Property(p => p.Name).HasMaxLength(200);
        });
        b.Entity<RegistryUser>(e => e.HasOne<Person>().WithOne().HasForeignKey<RegistryUser>(u => u.PersonId).OnDelete(DeleteBehavior.Restrict));
        b.Entity<Study>(e =>
        {
            e.ToTable("studies");
            e.Property(s => s.Title).HasMaxLength(300);
            e.Property(s => s.Stage).HasConversion<string>().HasMaxLength(32);
            e.Property(s => s.Revision).IsConcurrencyToken();
            e.Property(s => s.PlanJson).HasColumnName("plan");   // StudyPlan as JSON: read by the rules, never queried
            e.HasMany(s => s.Members).WithOne().HasForeignKey(m => m.StudyId);
            e.HasMany(s => s.Datasets).WithOne().HasForeignKey(d => d.StudyId);
            e.HasMany(s => s.Commitments).WithOne().HasForeignKey(c => c.StudyId);
            e.HasMany(s => s.Attestations).WithOne().HasForeignKey(a => a.StudyId);
            e.HasMany(s => s.Events).WithOne().HasForeignKey(v => v.StudyId);
        });
        b.Entity<StudyMember>(e =>
        {
            e.ToTable("study_members");
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(32);
            e.HasOne(m => m.Person).WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(m => new { m.StudyId, m.PersonId, m.Role }).IsUnique();
            e.HasIndex(m => m.PersonId);
        });
        b.Entity<Dataset>(e =>
        {
            e.ToTable("datasets");
            e.HasIndex(d => new { d.StudyId, d.Name }).IsUnique();
            e.HasOne(d => d.Organisation).WithMany().HasForeignKey(d => d.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(d => d.TermsVersions).WithOne().HasForeignKey(v => v.DatasetId);
            e.HasMany(d => d.Approvals).WithOne().HasForeignKey(a => a.DatasetId);
            e.HasMany(d => d.Uploads).WithOne().HasForeignKey(u => u.DatasetId);
        });
        b.Entity<TermsVersion>(e =>
        {
            e.ToTable("terms_versions");
            e.HasIndex(v => new { v.DatasetId, v.Version }).IsUnique();
            e.Property(v => v.Hash).HasMaxLength(64);
        });
        b.Entity<TermsApproval>(e => { e.ToTable("terms_approvals"); e.Property(a => a.TermsHash).HasMaxLength(64); });
        b.Entity<Commitment>(e => { e.ToTable("commitments"); e.HasIndex(c => new { c.StudyId, c.OrganisationId }).IsUnique(); });
        b.Entity<UploadReceipt>(e => { e.ToTable("upload_receipts"); e.Property(u => u.TermsHash).HasMaxLength(64); e.Property(u => u.ManifestSha256).HasMaxLength(64); });
        b.Entity<DestructionAttestation>(e => { e.ToTable("destruction_attestations"); e.HasIndex(a => new { a.StudyId, a.OrganisationId }).IsUnique(); });
        b.Entity<StudyEvent>(e => { e.ToTable("study_events"); e.Property(v => v.Kind).HasMaxLength(32); e.HasIndex(v => new { v.StudyId, v.At }); });
        b.Entity<PersonalAccessToken>(e =>
        {
            e.ToTable("personal_access_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasOne<RegistryUser>().WithMany().HasForeignKey(t => t.UserId);
        });
        b.Entity<LogEntryRow>(e =>
        {
            e.ToTable("transparency_entries");
            e.HasKey(r => r.Position);
            e.Property(r => r.Position).ValueGeneratedNever();
            e.Property(r => r.Kind).HasMaxLength(32);
            e.Property(r => r.LeafHash).HasMaxLength(64);
            e.HasIndex(r => new { r.Study, r.Kind });
        });
        b.Entity<LogHeadRow>(e => { e.ToTable("transparency_heads"); e.HasKey(r => r.Size); e.Property(r => r.Size).ValueGeneratedNever(); });
        b.Entity<LogCosignatureRow>(e =>
        {
            e.ToTable("transparency_cosignatures");
            e.Property(r => r.Id).ValueGeneratedNever();
            e.HasIndex(r => new { r.Size, r.KeyId }).IsUnique();
        });
        b.Entity<LogKeyRow>(e => { e.ToTable("transparency_keys"); e.HasKey(r => r.KeyId); e.Property(r => r.KeyId).HasMaxLength(16); });
        b.Entity<ReleaseReviewRow>(e =>
        {
            e.ToTable("release_reviews");
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.ReviewId).HasMaxLength(64);
            e.Property(r => r.Analyst).HasMaxLength(256);
            e.Property(r => r.Status).HasMaxLength(16);
            e.HasIndex(r => new { r.StudyId, r.ReviewId, r.DatasetId, r.Party }).IsUnique();
            e.HasIndex(r => new { r.StudyId, r.DatasetId, r.Status });
            e.HasOne<Study>().WithMany().HasForeignKey(r => r.StudyId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Dataset>().WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Invitation>(e =>
        {
            e.ToTable("invitations");
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.Property(i => i.TokenHash).HasMaxLength(64);
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.Name).HasMaxLength(200);
            e.Property(i => i.Role).HasConversion<string>().HasMaxLength(32);
            e.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<OrganisationSignIn>(e =>
        {
            e.ToTable("organisation_sign_ins");
            e.HasKey(s => s.OrganisationId);
            e.Property(s => s.DisplayName).HasMaxLength(200);
            e.Property(s => s.Authority).HasMaxLength(500);
            e.Property(s => s.ClientId).HasMaxLength(200);
            e.HasOne<Organisation>().WithOne().HasForeignKey<OrganisationSignIn>(s => s.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });
    }


    /// <summary>Identity's store options (schema version 3: passkeys) for a context made outside the web app (design
    /// time, tools); Identity reads its schema version from the context's application services.</summary>
    public static readonly IServiceProvider IdentitySchema = new ServiceCollection()
        .Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => o.Stores.SchemaVersion = Microsoft.AspNetCore.Identity.IdentitySchemaVersions.Version3)
        .BuildServiceProvider();

    sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
