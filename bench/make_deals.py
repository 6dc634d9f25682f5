"""Synthetic flat deal rows for the batch benchmark and tests: python bench/make_deals.py N OUT.csv
(seeded; a few bad rows are planted at fixed positions)."""
import random, csv, sys
random.seed(7)
acts=["machine_tools_robots","software","retail","electricity_core","semiconductor_equipment","restaurants","broadcasting","critical_minerals"]
rows=[]
n=int(sys.argv[1])
for i in range(n):
    before=random.choice([0,0,0.5,2,5,9])
    after=before+random.choice([0.5,1,2,5,8,15,40])
    rows.append({"matter":f"deal {i}","acquirer_name":f"Investor {i%500}","acquirer_kind":random.choice(["corporation","partnership","sovereign_wealth_fund","financial_institution"]),
      "acquirer_jurisdiction":random.choice(["US","GB","SG","CN","DE"]),"acquirer_fefta_violation":"false","acquirer_intelligence_duty":random.choice(["false","false","true"]),
      "acquirer_decisions_by_obliged":"false","acquirer_decisions_in_obliging_country":"false","acquirer_contractual_disclosure_duty":"false",
      "acquirer_accredited":random.choice(["true","false"]),"acquirer_regulated_fi":random.choice(["false","false","true"]),
      "target_name":f"Target {i%900}","target_listed":random.choice(["true","true","false"]),"target_activity":random.choice(acts),
      "target_subsidiaries_complete":"true","target_specified_core":"false","shares_before_pct":before,"shares_after_pct":min(100,after),
      "acquired_from":"market","board_seats":random.choice([0,0,0,1]),"nonpublic_tech_access":random.choice(["false","false","true"]),"any_nonpublic_information":"false",
      "as_of":random.choice(["2026-11-22","2024-01-10"])})
bad=[3,17,42]
for b in bad:
    if b<n: rows[b]["shares_after_pct"]=140
if n>60: rows[60]["acquirer_jurisdiction"]="XX"
if n>61: rows[61]["board_seats"]="two"
w=csv.DictWriter(open(sys.argv[2],"w"),fieldnames=list(rows[0].keys())); w.writeheader(); w.writerows(rows)
