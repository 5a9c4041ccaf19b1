"""The bad-input corpus: malformed data, metadata and claims, each built on the fly from the real
datasets. Every case must give exit status 2, one line on stderr naming where the problem is,
no traceback, and nothing written to results/ or figures/ (for reproduce as for check)."""

import json
import os
import re

import pytest

from reanalysis.cli import main

O = "ohtomo2005"
T1, T2, T3 = f"{O}/table1_background.csv", f"{O}/table2_laboratory.csv", f"{O}/table3_clinical.csv"
CL, DP = f"{O}/claims.toml", f"{O}/datapackage.json"
JC, JD = "jcr2011/claims.toml", "jcr2011/datapackage.json"


def replace(old, new):
    def edit(text):
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


def meta(change):
    def edit(text):
        doc = json.loads(text)
        change(doc)
        return json.dumps(doc)
    return edit


CASES = [
    # (id, file, edit (None deletes the file), expected fragment of the one-line error)
    ("non-numeric cell", T3, replace("52.8", "abc"), "table3_clinical.csv, row 2, column 'weight_pre_kg': value 'abc' is not a number"),
    ("decimal comma", T3, replace("52.8", "52,8"), "table3_clinical.csv, row 2: 13 cells, expected 12"),
    ("integer with decimals", T1, replace(",98,", ",98.5,"), "column 'csa_duration_months': value '98.5' is not an integer"),
    ("missing column", T1, replace(",height_sd_score", ""), "column 'height_sd_score': column missing"),
    ("extra column", T3, replace("dbp_post_mmhg\n", "dbp_post_mmhg,notes\n"), "column 'notes': column not in the schema"),
    ("columns out of order", T3, replace("relapses_pre,relapses_post", "relapses_post,relapses_pre"), "columns out of order"),
    ("ragged row", T3, replace("84,58\n", "84,58,1\n"), "row 2: 13 cells, expected 12"),
    ("duplicate patient", T1, replace("\n2,", "\n1,"), "row 3, column 'patient': duplicate value 1"),
    ("value above maximum", T1, replace("46.4", "4640"), "value '4640' is above the declared maximum 1000"),
    ("value below minimum", T3, replace(",0.21,", ",-0.21,"), "value '-0.21' is below the declared minimum 0"),
    ("value not in enum", T1, replace(",M,", ",male,"), "column 'sex': value 'male' is not one of"),
    ("bad boolean", T3, replace("1,false", "1,FALSE"), "column 'mzr_failure': value 'FALSE' is not a boolean"),
    ("required cell empty", T2, replace("1,3.13", "1,"), "column 'csa_dose_pre_mg_kg_day': value '' is a missing-value code"),
    ("undeclared missing code", T3, replace("5,true,2,2,-", "5,true,2,2,NA"), "column 'weight_pre_kg': value 'NA' is not a number"),
    ("age months disagree with print", T1, replace('9 months",153', '9 months",152'), "value 152 but age_printed"),
    ("malformed printed age", T1, replace("12 years, 9 months", "12 years, 13 months"), "months must be 0 to 11"),
    ("empty file", T2, lambda t: "", "table2_laboratory.csv: the file is empty"),
    ("header only", T2, lambda t: t.splitlines()[0] + "\n", "header but no rows"),
    ("semicolon delimiter", T3, lambda t: t.replace(",", ";"), "must be comma-separated"),
    ("not UTF-8", T1, lambda t: t.replace("M,", "\udce9,", 1), "not UTF-8"),
    ("missing csv", T2, None, "table2_laboratory.csv: file not found"),
    ("missing datapackage", DP, None, "datapackage.json: file not found"),
    ("invalid json", DP, lambda t: t[:-3], "invalid JSON"),
    ("path escapes folder", DP, meta(lambda d: d["resources"][0].update(path="../rokutanda2014/counts.csv")), "leaves the paper folder"),
    ("absolute path", DP, meta(lambda d: d["resources"][0].update(path="/etc/hosts")), "leaves the paper folder"),
    ("unknown field type", DP, meta(lambda d: d["resources"][0]["schema"]["fields"][1].update(type="text")), "needs a name and a type"),
    ("hash mismatch", T3, replace("52.8", "52.9"), "file changed since it was audited (its sha256 is sha256:"),
    ("hash missing", DP, meta(lambda d: d["resources"][2].pop("hash")), "no sha256 recorded"),
    ("missing claims file", CL, None, "claims.toml: file not found"),
    ("invalid toml", CL, replace("[[subset]]", "[[subset]"), "invalid TOML"),
    ("malformed claim id", CL, replace('id = "abstract-n-patients"', 'id = "Abstract N"'), "claim id 'Abstract N' is malformed"),
    ("duplicated claim id", CL, replace('id = "abstract-mzr-dose-mean"', 'id = "abstract-n-patients"'), "claim 'abstract-n-patients': claim id used twice"),
    ("unknown analysis", CL, replace('analysis = "mean"', 'analysis = "meen"'), "unknown analysis 'meen'"),
    ("unknown column", CL, replace('column = "mzr_dose_mg_kg_day"', 'column = "mzr_dose"'), "table 'table2' has no column 'mzr_dose'"),
    ("unknown table", CL, replace('{ table = "table2", column = "mzr_dose_mg_kg_day" }', '{ table = "table5", column = "x" }'), "unknown table 'table5'"),
    ("printed value with double point", CL, replace('reported = "0.016"', 'reported = "0..016"'), "malformed printed value '0..016'"),
    ("printed bound without number", CL, replace('reported = "0.016"', 'reported = "p<"'), "malformed printed value 'p<'"),
    ("an exclusion with an unknown reason", "kagawa/exclusions.toml", replace('reason = "reference"', 'reason = "citation"'),
     "key 'reason': 'citation' is not one of reference, bibliographic"),
    ("a word without reads_as", "kagawa/claims.toml", replace('reported = "By month 2, significant"\nreads_as = "<0.05"\n',
                                                               'reported = "By month 2, significant"\n'),
     "a word or mark (\"significant\", \"**\") needs reads_as, the bound or number it states"),
    ("printed age with 13 months", CL, replace('reported = "2 years, 4 months"', 'reported = "12 years, 13 months"'), "months must be 0 to 11"),
    ("unknown verdict", CL, replace('expected = "reproduced"', 'expected = "ok"'), "expected verdict 'ok' is not one of"),
    ("discrepant without diagnosis", CL, replace('expected = "reproduced"', 'expected = "discrepant"'), "needs a 'note' with its diagnosis"),
    ("missing quote", CL, replace('quote = "We report 9 adolescent patients"\n', ""), "missing 'quote'"),
    ("unknown claim key", CL, replace('analysis = "count"', 'analysis = "count"\nweight = 2'), "unknown key 'weight'"),
    ("unknown subset", CL, replace('subset = "completers" }', 'subset = "all-but-one" }'), "unknown subset 'all-but-one'"),
    ("unknown comparison", CL, replace('params = { comparison = "relapses" }', 'params = { comparison = "height" }'), "unknown comparison 'height'"),
    ("unexpected parameter", CL, replace('params = { table = "table1" }', 'params = { table = "table1", rows = 3 }'), "does not take parameter 'rows'"),
    ("paper id differs from folder", CL, replace('id = "ohtomo2005"', 'id = "ohtomo"'), "differs from its folder name"),
    ("same_as unknown", "amjnephrol2012/claims.toml", replace('same_as = "en-enrolled"', 'same_as = "en-nobody"'), "same_as names unknown claim 'en-nobody'"),
    ("comparison of an unknown column", CL, replace("[[comparison]]", '[[comparison]]\nid = "height"\nlabel = "Height"\n'
                                                   'table = "table3"\nbefore = "height_pre"\nafter = "height_post"\n'
                                                   'unit = "cm"\n\n[[comparison]]'),
     "[[comparison]] 'height': table 'table3' has no column 'height_pre'"),
    ("figure with a mistyped key", "kagawa/claims.toml", replace("bar = [", "bars = ["),
     "[[figure]] 'fig1-remission' has unknown key 'bars'; allowed: bar, id, kind, title"),
    ("figure without bars", "kagawa/claims.toml", lambda text: re.sub(r"\nbar = \[.*?\n\]\n", "\n", text, count=1, flags=re.S),
     "[[figure]] 'fig1-remission': missing 'bar'"),
    ("panels without variables", "kagawa/claims.toml", lambda text: re.sub(r"\nvariables = \[[^]]*\]", "", text, count=1),
     "[[figure]] 'fig2-biochemistry': missing 'variables'"),
    ("mistyped [paper] key", CL, replace("alpha = 0.05", "alpah = 0.01"),
     "[paper] has unknown key 'alpah'; allowed: alpha, decimal_comma, disease, id, regimen, report_notes, source"),
    ("mistyped [[comparison]] key", CL, replace('id = "relapses"\n', 'id = "relapses"\nsubest = "completers"\n'),
     "[[comparison]] 'relapses' has unknown key 'subest'"),
    ("mistyped [[subset]] key", CL, replace('where = { column = "mzr_failure"', 'were = { column = "mzr_failure"'), "[[subset]] 'completers' has unknown key 'were'"),
    ("mistyped alternative key", JC, replace('analysis = "percent_attainable", params = { n = { value = "138" } } }',
                                             'analysis = "percent_attainable", param = { n = { value = "138" } } }'),
     "an alternative of claim 'survey-rheumatologists-percent' has unknown key 'param'"),
    ("mistyped bar key", "kagawa/claims.toml", replace('{ series = "Complete remission", month = 2 }',
                                                       '{ series = "Complete remission", moth = 2 }'),
     "a bar of [[figure]] 'fig1-remission' has unknown key 'moth'"),
    ("mistyped pooled trial key", JC, replace('{ label = "Ong 2005, 6 months", treatment', '{ label = "Ong 2005, 6 months", weeks = 24, treatment'),
     "a trial of [[pooled]] 'complete-remission' has unknown key 'weeks'"),
    ("unknown section", CL, replace("[[subset]]", "[[subsets]]"), "the file has unknown key 'subsets'"),
    ("section written as one table", CL, replace("[[subset]]", "[subset]"), "'subset' must be an array of tables, written [[subset]]"),
    ("panel variable without rows", "kagawa/claims.toml", replace('variables = ["proteinuria", ', 'variables = ["protein", '),
     "[[figure]] 'fig2-biochemistry': table 'table2' has no rows for 'protein'"),
    ("bar from an unknown proportion", "kagawa/claims.toml", replace('proportion = "cr-month6" }', 'proportion = "cr-month7" }'),
     "[[figure]] 'fig1-remission': unknown proportion 'cr-month7'"),
    ("pooled trial row unknown", "jcr2011/claims.toml", replace('treatment = ["ong-cr-mmf"]', 'treatment = ["ong-cr-mmf2"]'),
     "[[pooled]] 'complete-remission': table 'arms' has no row with row = 'ong-cr-mmf2'"),
    ("pooling a single trial", "jcr2011/claims.toml", replace('  { label = "Ong 2005, 6 months", treatment = ["ong-cr-mmf"], comparator = ["ong-cr-ivc"] },\n'
                                                              '  { label = "Chan 2000, 12 months", treatment = ["chan00-cr-mmf"], comparator = ["chan00-cr-cyc"] },\n', ""),
     "[[pooled]] 'complete-remission': pooling needs a list of at least two trials"),
    ("withdrawals do not add up", "amjnephrol2012/claims.toml", replace('withdrawn_row = "withdrawn"', 'withdrawn_row = "early-remission"'),
     "[[proportion]] 'remission': 11 analysed + 7 withdrawn != 14 enrolled"),
    ("decision error not a boolean", CL, replace("decision_error = true", 'decision_error = "yes"'),
     "claim 'abstract-steroid-sparing-significant': 'decision_error' must be true or false"),
    ("decision error on a reproduced claim", CL, replace('expected = "reproduced"', 'expected = "reproduced"\ndecision_error = true'),
     "only a discrepant claim can have decision_error = true"),
    ("reading as a reversed range", "kagawa/claims.toml", replace('reads_as = "[0.01, 0.05)"', 'reads_as = "[0.05, 0.01)"'),
     "a range needs its lower end first"),
    ("ratio part unknown", JC, replace('result = "ci_low"', 'result = "lower"'), "parameter 'result' (which number of the result the claim prints (a statistic, df, an estimate or a CI end)) must be one of estimate, ci_low, ci_high, got 'lower'"),
    ("unknown contrast", JC, replace('contrast = "ginzler-cr-mmf-vs-ginzler-cr-ivc", method = "pearson"', 'contrast = "ginzler", method = "pearson"'),
     "unknown contrast 'ginzler'; declared: ginzler-cr-mmf-vs-ginzler-cr-ivc"),
    ("cell provenance names an unknown claim", JD, meta(lambda d: d["resources"][0]["x-transcribed-from-claims"][0].update(claim="alms-n")),
     "cell n of row 'alms-ind-response-mmf' is said to be transcribed from unknown claim 'alms-n'"),
    ("cell provenance names an unknown row", JD, meta(lambda d: d["resources"][0]["x-transcribed-from-claims"][0]["rows"].append("alms")),
     "x-transcribed-from-claims[0]: no row with row = 'alms'"),
    ("cell provenance names an unknown column", JD, meta(lambda d: d["resources"][0]["x-transcribed-from-claims"][0].update(column="size")),
     "x-transcribed-from-claims[0]: column 'size' is not a field"),
    ("claims edited without a re-audit", CL, replace("this high-dose MZR therapy", "this MZR therapy"),
     "claims.toml: changed since it was audited"),
    ("constraint loosened without a re-audit", DP, meta(lambda d: d["resources"][0]["schema"]["fields"][2]["constraints"].update(maximum=2000)),
     "datapackage.json: changed (schemas, constraints or cell provenance) since it was audited"),
    ("audit lock missing", DP, meta(lambda d: d.pop("x-audit")), "no audit lock ('x-audit') recorded"),
    ("mistyped parameter", CL, replace('params = { table = "table1" }', 'params = { tabel = "table1" }'),
     "analysis 'count' needs parameter 'table'"),
    ("parameter of the wrong type", CL, replace('params = { table = "table1" }', 'params = { table = 1 }'),
     "parameter 'table' (a table (resource name) of the paper's datapackage) must be a non-empty string, got 1"),
    ("where value of the wrong type", CL, replace('where = { column = "csa_dose_12m_mg_kg_day", op = "==", value = 0 }',
                                                  'where = { column = "csa_dose_12m_mg_kg_day", op = "==", value = "0" }'),
     "'where': condition compares csa_dose_12m_mg_kg_day (number) with '0', which is not a literal of that type (to compare "
     "with another column, name it as 'other')"),
    ("where on missing cells", CL, replace('table = "table2"\nwhere = { column = "csa_dose_12m_mg_kg_day", op = "==", value = 0 }',
                                           'table = "table3"\nwhere = { column = "weight_pre_kg", op = ">", value = 50 }'),
     "'where': condition weight_pre_kg > 50 meets missing cells; ask only rows that have a value"),
    ("where with an empty all", CL, replace('where = { column = "csa_dose_12m_mg_kg_day", op = "==", value = 0 }', "where = { all = [] }"),
     "'where': 'all' needs a non-empty list of conditions"),
    ("where comparing two columns with a value too", CL, replace('op = "<", other = "csa_dose_pre_mg_kg_day" }',
                                                                 'op = "<", other = "csa_dose_pre_mg_kg_day", value = 1 }'),
     "op '<' takes either a 'value' or an 'other' column"),
    ("subset on an unknown column", CL, replace('where = { column = "mzr_failure"', 'where = { column = "mzr_failed"'),
     "subset 'completers': the table has no column 'mzr_failed'"),
    ("alternative with an unknown parameter", JC, replace('method = "yates" } },', 'method = "yates", correct = true } },'),
     "analysis 'two_by_two_p' does not take parameter 'correct'"),
    ("range end unknown", CL, replace('range_with = "methods-age-min"', 'range_with = "methods-age-low"'),
     "claim 'methods-age-max': range_with names unknown claim 'methods-age-low'"),
    ("finding id malformed", CL, replace('finding = "trough-target"', 'finding = "Trough target"'),
     "finding id 'Trough target' is malformed"),
    ("contradiction with itself", JC, replace('claims = ["maintain-observation-years"]', 'claims = ["maintain-follow-up"]'),
     "a contradiction compares the claim with other claims, not with itself"),
    ("audited verdict the analysis cannot give", "amjnephrol2012/claims.toml",
     replace('why = "remissions among the 11 analysed cannot exceed 11" }\nexpected = "consistent"',
             'why = "remissions among the 11 analysed cannot exceed 11" }\nexpected = "reproduced"'),
     "analysis 'at_most_cell' cannot give the audited verdict 'reproduced'; it gives consistent, discrepant, not_recomputable"),
    ("cell provenance not a list", JD, meta(lambda d: d["resources"][0].update({"x-transcribed-from-claims": "alms-mmf-n"})),
     "'x-transcribed-from-claims' must be a list of {claim, column, rows}"),
    ("cell provenance entry malformed", JD, meta(lambda d: d["resources"][0]["x-transcribed-from-claims"][0].pop("rows")),
     "x-transcribed-from-claims[0]: expected {claim, column, rows} with a claim id"),
    ("subset total judging a third claim", JC, replace('k_claim = "meta1-trials", total_claim = "meta1-patients" }\nexpected = "consistent"',
                                                       'k_claim = "meta2-trials", total_claim = "meta1-patients" }\nexpected = "consistent"'),
     "claim 'meta1-trials': subset_total judges either its 'k_claim' or its 'total_claim'"),
    ("paper without a source", CL, replace('source = "000_fd8e2488305cd4cf.txt"\n', ""),
     "[paper] needs a 'source', the file name of the paper's text in the sources search path"),
    ("printed value not a string", CL, replace('reported = "0.016"', "reported = 0.016"),
     "key 'reported': must be a string exactly as printed, e.g. reported = \"0.016\", got 0.016"),
    ("not recomputable without a reason", CL, replace('analysis = "not_recomputable"\nparams = { reason = "source_lacks_data" }\n',
                                                        'analysis = "not_recomputable"\n'),
     "analysis 'not_recomputable' needs parameter 'reason'"),
    ("a reason outside the list", CL, replace('params = { reason = "source_lacks_data" }', 'params = { reason = "unclear" }'),
     "parameter 'reason' (why the number is not recomputed: the source lacks the data, or the vocabulary lacks the "
     "statistic) must be one of source_lacks_data, vocabulary_lacks, got 'unclear'"),
    ("a missing statistic not named", CL, replace('params = { reason = "source_lacks_data" }', 'params = { reason = "vocabulary_lacks" }'),
     "names the missing 'statistic' exactly when reason = \"vocabulary_lacks\""),
    ("a statistic named for a gap of the source", CL, replace('params = { reason = "source_lacks_data" }',
                                                              'params = { reason = "source_lacks_data", statistic = "median" }'),
     "names the missing 'statistic' exactly when reason = \"vocabulary_lacks\""),
    ("a count table without an events role", JD, meta(lambda d: d["resources"][0]["schema"]["fields"][5].pop("x-role")),
     "table 'arms' declares no column with x-role 'events'; add \"x-role\": \"events\" to that column's field"),
    ("count row unknown", "rokutanda2014/claims.toml", replace('row = "maintenance", column', 'row = "maintenance-phase", column'), "no row with row = 'maintenance-phase'"),
    ("a tab inside a quote", CL, replace('quote = "', 'quote = "=HYPERLINK(1)\\t'),
     "claim[1].quote holds the control character U+0009; write the text on one line, without tabs"),
    ("a reconstruction with a floor beside a printed range", "kagawa/claims.toml",
     replace('params = { table = "table1", row = "c3", n = { table = "table3", rows = true } }',
             'params = { table = "table1", row = "c3", n = { table = "table3", rows = true }, floor = 0 }'),
     "'floor' applies only without a printed range; row 'c3' prints one"),
    ("a reconstruction figure of an unknown row", "kagawa/claims.toml",
     replace('rows = ["sle_duration", "sledai", "c3"]', 'rows = ["sle_duration", "sledai", "c4"]'),
     "table 'table1' has no row with row = 'c4'"),
    ("a fullwidth digit", T3, replace("52.8", "\uff152.8"), "column 'weight_pre_kg': value '\uff152.8' is not a number"),
    ("an Arabic-Indic digit", T3, replace(",3,1,52.8", ",3,\u0661,52.8"), "column 'relapses_post': value '\u0661' is not an integer"),
    ("a line break inside a quoted cell", T3, replace("52.8", '"52\n.8"'), "row 2: cell '52\\n.8' holds a line break"),
    ("a byte-order mark in a CSV", T3, lambda text: "\ufeff" + text, "starts with a byte-order mark (BOM)"),
    ("a byte-order mark in datapackage.json", DP, lambda text: "\ufeff" + text, "starts with a byte-order mark (BOM)"),
    ("a JSON key given twice", DP, replace('"name": "table3",', '"name": "table3",\n      "name": "table3",'),
     "key 'name' appears twice in one JSON object"),
    ("a NaN maximum", DP, meta(lambda d: d["resources"][2]["schema"]["fields"][4].setdefault("constraints", {})
                                .update(maximum=float("nan"))), "NaN is not a JSON number"),
    ("a pattern that does not compile", DP, meta(lambda d: d["resources"][2]["schema"]["fields"][4]
                                                 .setdefault("constraints", {}).update(pattern="([0-9")),
     "field 'weight_pre_kg': constraint 'pattern' '([0-9' is not a valid regular expression"),
    ("a minimum written as text", DP, meta(lambda d: d["resources"][2]["schema"]["fields"][4]
                                           .setdefault("constraints", {}).update(minimum="0")),
     "constraint 'minimum' must be a finite number on a numeric field, got '0'"),
    ("missing-value codes not a list", DP, meta(lambda d: d["resources"][2]["schema"].update(missingValues="-")),
     "'schema.missingValues' must be a list of strings, got '-'"),
    ("a note that is a number", CL, lambda text: re.sub(r'^note = ".*"$', "note = 5", text, count=1, flags=re.M),
     "key 'note' must be a string, got 5"),
    ("a table name given as a list", CL, replace('table = "table3"', 'table = ["table3"]'),
     "key 'table' must be a string, got ['table3']"),
    ("a printed value of 34 digits", CL, replace('reported = "0.0091"', 'reported = "0.009100000000000000000000000000001"'),
     "has 34 digits; a printed number has at most 20"),
    ("an integer cell of 400 digits", T3, replace(",3,1,52.8", "," + "9" * 400 + ",1,52.8"),
     "has 400 characters; a numeric cell has at most 30"),
    ("a GRIM step of 1e-999999999", "kagawa/claims.toml", replace('granularity = "1"', 'granularity = "1e-999999999"'),
     "of at most 20 digits from 1e-12 to 1e12, got '1e-999999999'"),
    ("arrays nested 5,000 deep in claims.toml", CL, lambda text: text + "\nx = " + "[" * 5000 + "]" * 5000 + "\n",
     "claims.toml: arrays or tables nested too deeply to read"),
    ("arrays nested 100,000 deep in datapackage.json", DP,
     lambda text: text.replace('"name"', '"deep": ' + "[" * 100000 + "]" * 100000 + ', "name"', 1),
     "datapackage.json: arrays or objects nested too deeply to read"),
    ("a mistyped field key", DP, meta(lambda d: d["resources"][2]["schema"]["fields"][4].update(
        constrains=d["resources"][2]["schema"]["fields"][4].pop("constraints", {}))),
     "field 'weight_pre_kg': unknown key 'constrains'"),
    ("a mistyped resource key", DP, meta(lambda d: d["resources"][2].update(shema=1)), "resources[2]: unknown key 'shema'"),
    ("a mistyped package key", DP, meta(lambda d: d.update(resorces=[])), "datapackage.json: unknown key 'resorces'"),
    ("a mistyped source key", DP, meta(lambda d: d["sources"][0].update(x_not_shipped=True)),
     "datapackage.json: sources[0]: unknown key 'x_not_shipped'"),
    ("sources not a list of objects", DP, meta(lambda d: d.update(sources="the paper")),
     "datapackage.json: 'sources' must be a list of objects"),
    ("an unsupported constraint", DP, meta(lambda d: d["resources"][2]["schema"]["fields"][4]
                                           .setdefault("constraints", {}).update(minLength=1)),
     "constraint 'minLength' is not supported"),
]


def test_the_corpus_is_large():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["reproduce", "check"])
def test_bad_input_is_one_line_exit_2_and_nothing_written(project, capsys, case, command):
    _, name, edit, message = case
    path = project / "datasets" / name
    if edit is None:
        path.unlink()
    else:
        path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    assert main(["--root", str(project), command]) == 2
    out = capsys.readouterr()
    assert out.err.startswith("reanalysis: error: ") and out.err.count("\n") == 1, out.err
    assert message in out.err
    assert "Traceback" not in out.err + out.out
    assert not (project / "results").exists() and not (project / "figures").exists()


def test_rehash_of_an_unknown_paper_is_bad_input(project, capsys):
    assert main(["--root", str(project), "rehash", "nobody2099"]) == 2
    assert "no such paper" in capsys.readouterr().err


def _symlink_out(project):
    path = project / "datasets" / T3
    outside = project / "outside.csv"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)


def _fifo(project):
    path = project / "datasets" / T3
    path.unlink()
    os.mkfifo(path)


def _claims_folder(project):
    path = project / "datasets" / CL
    path.unlink()
    path.mkdir()


FILE_CASES = [
    ("a CSV symlinked out of its paper's folder", _symlink_out, "resolves outside"),
    ("a FIFO in place of a CSV", _fifo, "is not a regular file (a FIFO, socket or device); expected a file"),
    ("claims.toml a folder", _claims_folder, "claims.toml: the paper's claims.toml is a folder; expected a file"),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_files_that_are_not_plain_files_inside_the_paper_are_bad_input(project, capsys, case):
    _, setup, message = case
    setup(project)
    assert main(["--root", str(project), "reproduce"]) == 2
    out = capsys.readouterr()
    assert out.err.startswith("reanalysis: error: ") and out.err.count("\n") == 1 and message in out.err, out.err
    assert not (project / "results").exists()


def test_rehash_stays_inside_datasets(project, capsys):
    assert main(["--root", str(project), "rehash", "../elsewhere"]) == 2
    assert "rehash: '../elsewhere' is not a paper's folder name" in capsys.readouterr().err
