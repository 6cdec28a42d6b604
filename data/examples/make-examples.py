#!/usr/bin/env python3
"""Writes the two example files of the bring-your-own-data walk-through (environment.md): a housing office's
tenancy list and a clinic's patient list, fictitious people, some in both files. Seeded: every run writes the same
bytes. Run from this folder: python3 make-examples.py"""
import random

r = random.Random(2026)
given = ["Amara", "Bastian", "Cosima", "Dorian", "Elspeth", "Florin", "Greta", "Hollis", "Ines", "Jasper",
         "Kalinda", "Leopold", "Mireille", "Nikolai", "Oona", "Perrin", "Quilla", "Rafferty", "Sunniva", "Tamsin"]
family = ["Abernethy", "Blackwood", "Carrow", "Dunmore", "Everleigh", "Fenwright", "Galloway", "Hartigan",
          "Ivesdale", "Kilbride", "Lockhart", "Merriman", "Northcote", "Ormsby", "Penhallow", "Ravensworth"]
districts = ["Riverside", "Old Town", "Hillcrest", "Docklands"]
people, seen = [], set()
while len(people) < 700:
    ssn = f"{r.randint(100, 665):03d}{r.randint(10, 99):02d}{r.randint(1000, 9999):04d}"
    p = (ssn, r.choice(given), r.choice(family), r.randint(1935, 2004), r.randint(1, 12), r.randint(1, 28))
    key = (p[1], p[2], p[3], p[4], p[5])
    if ssn not in seen and key not in seen:
        seen.add(ssn); seen.add(key); people.append(p)

# Tenants: people 0..449; clinic patients: 250..699 — 200 in both.
with open("tenants.csv", "w") as f:
    f.write("tenancy_ref,national_no,given,family,birth_date,district,rooms,monthly_rent\n")
    for i in range(450):
        ssn, g, fam, y, m, d = people[i]
        no = "" if r.random() < 0.05 else f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"
        district = "Lantern Quay" if i % 61 == 7 else r.choice(districts)   # a rare district: its cells are small
        f.write(f"T{i + 1:05d},{no},{g},{fam},{y:04d}-{m:02d}-{d:02d},{district},{r.randint(1, 6)},{r.randint(40000, 180000) / 100:.2f}\n")
with open("clinic.csv", "w") as f:
    f.write("patient_ref,ssn,first_name,last_name,dob,visits,bmi\n")
    for i in range(250, 700):
        ssn, g, fam, y, m, d = people[i]
        no = "" if r.random() < 0.05 else ssn
        f.write(f"P{i:06d},{no},{g.upper()},{fam.upper()},{d:02d}/{m:02d}/{y:04d},{r.randint(0, 14)},{r.randint(170, 420) / 10:.1f}\n")
