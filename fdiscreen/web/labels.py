"""Every label the web pages show, in English and Japanese. Legal wording (conclusions, findings,
measures, activities) comes from the Screening and the factors; this dict holds only the pages' own words."""

from __future__ import annotations

from typing import Literal

from fdiscreen.cases import OUTCOME_NAMES
from fdiscreen.render.memo import OUTCOME_TEXT, TIER_TEXT
from fdiscreen.web.forms import MAX_BIDS, MAX_TABLE_ROWS, MIN_BIDS, TABLE_MB, UPLOAD_MB

PageLang = Literal["en", "ja"]

L: dict[str, tuple[str, str]] = {
    # navigation and frame
    "app": ("fdiscreen workbench", "fdiscreen ワークベンチ"),
    "nav_screen": ("Screen a deal", "案件の審査"),
    "nav_compare": ("Compare bids", "買収提案の比較"),
    "nav_cases": ("Case library", "事例ライブラリ"),
    "nav_batch": ("Screen a table", "一括審査"),
    "nav_api": ("API spec (OpenAPI)", "API仕様（OpenAPI）"),
    "lang_switch": ("日本語", "English"),
    "footer": ("Runs locally; nothing is sent anywhere. Not legal advice.",
               "ローカルで動作し、外部へは何も送信しない。法的助言ではない。"),
    "error": ("Error", "エラー"),
    "internal_error": ("Internal error", "内部エラー"),
    "too_large": ("Upload too large", "アップロードが大きすぎる"),
    # screening form
    "form_title": ("Screen a deal", "案件の審査"),
    "form_intro": ("Fill in what you know; leave a fact as “unknown” and the result lists it as a fact to confirm.",
                   "分かる事実を入力する。「不明」のままの事実は確認事項として結果に示される。"),
    "upload_title": ("…or upload a deal file", "…又は取引ファイルをアップロード"),
    "upload_hint": (f"YAML or JSON in the format of `fdiscreen schema` (up to {UPLOAD_MB} MB).",
                    f"`fdiscreen schema` 形式のYAML又はJSON（{UPLOAD_MB}MBまで）。"),
    "upload_button": ("Screen the file", "ファイルを審査"),
    "deal_file": ("Deal file", "取引ファイル"),
    "matter": ("Matter name", "案件名"),
    "matter_hint": ("default: acquirer / target", "省略時：取得者／発行会社"),
    "as_of": ("Law as of", "適用法令基準日"),
    "as_of_hint": ("default: today", "省略時：本日"),
    "amendment_effective": ("Assume the 2026 amendment effective from", "2026年改正の施行日（仮定）"),
    "optional": ("optional", "任意"),
    "acquirer": ("Acquirer", "取得者（外国投資家）"),
    "name": ("Name", "名称"),
    "kind": ("Kind", "種類"),
    "jurisdiction": ("Jurisdiction (ISO code)", "国・地域（ISOコード）"),
    "listed": ("Listed", "上場"),
    "state_owned_pct": ("Held by foreign governments (%)", "外国政府等の保有割合（%）"),
    "accredited": ("Accredited SWF / public pension", "認証SWF等"),
    "fefta_violation_sanctioned": ("Sanctioned for a FEFTA breach", "外為法違反による処分歴"),
    "information_cooperation_duty": ("Duty to cooperate with foreign intelligence gathering", "外国の情報収集への協力義務"),
    "decisions_by_obliged_persons": ("Decisions taken by obliged persons", "義務者による実質的な意思決定"),
    "decisions_at_office_in_obliging_country": ("Decisions at an office in an obliging country", "義務を課す国の事務所での意思決定"),
    "contractual_disclosure_duty": ("Contractual duty to disclose for intelligence gathering", "情報収集目的の契約上の開示義務"),
    "military_links": ("Military or defence-industry links", "軍・防衛産業との関係"),
    "investment_plan": ("Stated investment plan", "投資方針"),
    "past_conduct": ("Past conduct", "過去の行動"),
    "past_blocked_deal": ("A deal of its was blocked before", "過去に投資が禁止・阻止された"),
    "past_activist_campaign": ("Ran activist campaigns", "アクティビスト活動の実績"),
    "owners": ("Owners of the acquirer (up to 3)", "取得者の株主（3者まで）"),
    "owner": ("Owner", "株主"),
    "voting_pct": ("Voting %", "議決権割合（%）"),
    "target": ("Target (Japanese company)", "発行会社（日本法人）"),
    "securities_code": ("Securities code", "証券コード"),
    "businesses": ("Business lines", "事業"),
    "business": ("Business", "事業"),
    "subsidiaries": ("Subsidiaries of the target (up to 3)", "対象会社の子会社（3社まで）"),
    "subsidiary": ("Subsidiary", "子会社"),
    "sub_ownership_pct": ("Target's voting %", "対象会社の議決権割合%"),
    "subsidiaries_hint": ("A subsidiary in a designated or core business makes the target one. Say under the target whether the list covers every subsidiary.",
                          "指定業種・コア業種を営む子会社があれば、対象会社もそれに該当する。子会社の記載が全てを網羅しているかは対象会社の欄で回答する。"),
    "activity": ("Activity", "業種"),
    "activity_none": ("— not classified —", "— 未分類 —"),
    "subsidiaries_complete": ("Subsidiaries' businesses all covered", "子会社の事業を網羅済み"),
    "specified_core_business_entity": ("Specified core business entity", "特定コア事業者"),
    "technologies": ("Technologies held (one per line)", "保有技術（1行に1件）"),
    "critical_infrastructure": ("Critical-infrastructure roles (one per line)", "重要インフラとしての役割（1行に1件）"),
    "defence_supplier": ("Supplies the defence sector", "防衛関連の供給者"),
    "single_source_supplier": ("Single-source supplier", "唯一の供給者"),
    "government_funded_research": ("Government-funded research", "政府資金による研究開発"),
    "global_market_share_pct": ("Global market share (%)", "世界シェア（%）"),
    "transaction": ("Transaction", "取引"),
    "tx_kind": ("Kind of act", "行為の類型"),
    "tx_kind_hint": ("for a loan or an indirect acquisition, fill in its section below", "貸付け・間接取得は下の該当欄に記入"),
    "loan": ("Loan (kind: loan)", "貸付け（類型：貸付け）"),
    "amount_jpy": ("Amount (JPY)", "貸付額（円）"),
    "term_years": ("Term (years)", "期間（年）"),
    "currency": ("Currency of the loan (JPY, USD, ...)", "貸付けの通貨（JPY、USD等）"),
    "lender_loan_balance_after_jpy": ("Lender's loan balance to the borrower after the loan (JPY)", "貸付後の貸付残高（円）"),
    "lender_bonds_held_jpy": ("Borrower's bonds held by the lender (JPY)", "貸付人が保有する借入者の社債（円）"),
    "borrower_liabilities_jpy": ("Borrower's liabilities at the last fiscal year-end (JPY)", "借入者の直前事業年度末の負債の額（円）"),
    "lender_financial_institution_in_business": ("Lent by a financial institution in its business", "金融機関がその業務として行う貸付け"),
    "indirect": ("Indirect acquisition (2026 amendment; kind: indirect acquisition)", "間接取得（2026年改正、類型：間接取得）"),
    "holding_entity": ("Overseas entity holding the target", "発行会社を保有する外国の事業体"),
    "holding_entity_stake_in_target_pct": ("Its voting share in the target (%)", "発行会社における議決権割合（%）"),
    "acquirer_voting_before_pct": ("Acquirer's voting share in it before (%)", "取得前の同事業体における議決権割合（%）"),
    "acquirer_voting_after_pct": ("Acquirer's voting share in it after (%)", "取得後の同事業体における議決権割合（%）"),
    "nominee": ("Acting for another person (nominee)", "他者のための取得（名義によらない取得）"),
    "principal": ("The person the acquirer acts for", "取得者が計算又は契約上行為する相手"),
    "resident_in_japan": ("Resident of Japan (individuals)", "居住者（個人の場合）"),
    "arrangement": ("Arrangement", "態様"),
    "joint_voting_pct": ("Consent to joint voting: combined votes (%)", "共同議決権行使同意：合計議決権（%）"),
    "related_persons_take_officer_majority": ("Acquirer's related persons take a majority of its officers", "関係者が同事業体の役員の過半数を占める"),
    "shares_before_pct": ("Stake before (%)", "取得前の持株割合（%）"),
    "shares_after_pct": ("Stake after (%)", "取得後の持株割合（%）"),
    "closely_related_voting_pct": ("Closely related persons' voting (%)", "密接関係者の議決権（%）"),
    "proxy_voting_pct": ("Votes held by proxy (%)", "委任を受けた議決権（%）"),
    "acquired_from": ("Acquired from", "取得の相手方"),
    "board_seats": ("Director seats", "取締役の派遣"),
    "auditor_seats": ("Auditor seats", "監査役の派遣"),
    "observer_seats": ("Observer seats", "オブザーバー"),
    "core_committee_attendance": ("Attends board/committee meetings on the core business", "コア業種に関する取締役会・委員会への出席"),
    "technology_access": ("Access to information", "情報へのアクセス"),
    "non_public_technology_information": ("Non-public technology information", "非公開の技術情報"),
    "any_non_public_information": ("Any non-public information", "その他の非公開情報"),
    "information_rights": ("Information rights", "情報請求権"),
    "joint_development": ("Joint development", "共同開発"),
    "site_access": ("Site access", "施設への立入り"),
    "personnel_exchange": ("Personnel exchange", "人材交流"),
    "proposes_rule_changes": ("Proposes changes to secret-information rules", "秘密情報管理規程の変更提案"),
    "proposals": ("Proposals", "提案"),
    "prop_transfer": ("Proposes transferring the designated business", "指定業種事業の譲渡を提案"),
    "prop_abolition": ("Proposes abolishing the designated business", "指定業種事業の廃止を提案"),
    "relocate_production_abroad": ("Plans to move production abroad", "生産拠点の海外移転を計画"),
    "written_proposals_with_deadline": ("Written proposals to the board with a deadline", "期限付きの書面提案を取締役会等に行う"),
    "convertible_instruments": ("Convertible instruments (can raise the stake later)", "転換可能な証券（将来持分が増加し得る）"),
    "measures_offered": ("Risk-mitigation measures offered", "申し出るリスク軽減措置"),
    "side_deal": ("By the investor", "投資家側の措置"),
    "side_target": ("By the target", "発行会社側の措置"),
    "submit_screen": ("Screen", "審査する"),
    "unknown": ("unknown", "不明"),
    "yes": ("yes", "はい"),
    "no": ("no", "いいえ"),
    # result page
    "result_title": ("Screening result", "審査結果"),
    "new_screening": ("New screening", "新しい審査"),
    "fingerprint": ("Fingerprint", "フィンガープリント"),
    "regime": ("Regime version", "法令データ版"),
    "outcome": ("Determination", "判断"),
    "conclusions": ("Conclusions", "各論点の結論"),
    "reasons": ("Reasons", "理由"),
    "citations": ("Citations", "引用"),
    "facts_needed": ("Facts needed", "確認事項"),
    "open_questions": ("Facts to confirm", "確認事項"),
    "field": ("Field", "項目"),
    "question": ("Question", "論点"),
    "conservative": ("Conservative reading meanwhile", "確認までの保守的な扱い"),
    "who_confirms": ("Who confirms", "確認者"),
    "scores": ("Risk scores", "リスクスコア"),
    "gross": ("Gross", "措置前"),
    "residual": ("Residual", "措置後"),
    "dimension": ("Risk", "リスク"),
    "leakage": ("Technology and information leakage", "技術・情報流出"),
    "control": ("Control and influence", "支配・影響力"),
    "supply": ("Supply and continuity", "供給・事業継続"),
    "overall": ("Overall", "総合"),
    "tier": ("Tier", "評価区分"),
    "predicted": ("Predicted outcome", "予測される結果"),
    "actual": ("actual", "実際"),
    "predicted_short": ("predicted", "予測"),
    "findings": ("Findings", "所見"),
    "factor": ("Review factor", "審査考慮要素"),
    "finding": ("Finding", "所見"),
    "points": ("Points L/C/S", "点数 流出/支配/供給"),
    "residual_pts": ("Residual", "措置後"),
    "evidence": ("Evidence", "根拠事実"),
    "basis": ("Basis", "根拠"),
    "addressed_by": ("Addressed by", "対応する措置"),
    "no_findings": ("No finding.", "所見なし。"),
    "mitigation": ("Mitigation", "リスク軽減措置"),
    "mitigation_hint": ("Tick measures and re-screen: the residual score is recomputed.",
                        "措置を選択して再審査すると、措置後のスコアが再計算される。"),
    "offered_in_deal": ("offered in the deal", "取引で申出済み"),
    "suggested": ("suggested", "推奨"),
    "overall_after": ("overall after", "適用後の総合点"),
    "rescreen": ("Re-screen with these measures", "選択した措置で再審査"),
    "applied": ("Measures applied", "適用中の措置"),
    "none": ("None.", "なし。"),
    "watch": ("Watch-list hits", "ウォッチリスト該当"),
    "downloads": ("Memo", "メモのダウンロード"),
    "compare_downloads_hint": ("The comparison memo: every bid side by side, then each bid's risk.",
                               "比較メモ：全提案の一覧と各提案のリスク評価。"),
    "downloads_hint": ("The memo includes the measures ticked under Mitigation.", "「リスク軽減措置」で選択した措置を反映したメモ。"),
    "lang_en": ("English", "英語"),
    "lang_ja": ("Japanese", "日本語"),
    "lang_both": ("Both", "日英併記"),
    "input": ("Input (as screened)", "入力（審査時）"),
    # comparison
    "compare_title": ("Compare bids", "買収提案の比較"),
    "compare_intro": (f"Upload {MIN_BIDS} to {MAX_BIDS} deal files (YAML or JSON, up to {UPLOAD_MB} MB each).",
                      f"取引ファイルを{MIN_BIDS}〜{MAX_BIDS}件アップロード（YAML又はJSON、各{UPLOAD_MB}MBまで）。"),
    "deal_files": ("Deal files", "取引ファイル"),
    "batch_title": ("Screen a table of deals", "案件一覧の一括審査"),
    "batch_intro": ((f"One deal per row in the flat column format (CSV, Parquet or JSON Lines; up to {MAX_TABLE_ROWS:,} rows and {TABLE_MB} MB here, "
                     "any number with `fdiscreen batch`). Each row is screened as a single deal file would be; bad rows are listed, not dropped."),
                    (f"1行に1案件のフラット形式（CSV・Parquet・JSON Lines。ここでは{MAX_TABLE_ROWS:,}行・{TABLE_MB}MBまで、"
                     "それ以上は `fdiscreen batch`）。各行は取引ファイル1件と同じく審査され、不備のある行は除外せず一覧にする。")),
    "table_file": ("Table of deals", "案件一覧ファイル"),
    "batch_button": ("Screen the table", "一括審査する"),
    "batch_columns": ("Columns of the flat format", "フラット形式の列"),
    "column": ("column", "列"), "type": ("type", "型"), "meaning": ("meaning", "内容"),
    "batch_summary": ("Summary", "集計"),
    "rows_screened": ("rows screened", "審査した行"), "bad_rows": ("bad rows", "不備のある行"),
    "count": ("rows", "行数"),
    "batch_downloads": ("Download", "ダウンロード"),
    "results_csv": ("Results (CSV)", "審査結果（CSV）"), "errors_csv": ("Bad rows (CSV)", "不備のある行（CSV）"),
    "batch_results": ("Results", "審査結果"),
    "first_rows": ("first {n} of {total} rows; the CSV has them all", "全{total}行のうち先頭{n}行。CSVに全行を収録"),
    "batch_errors": ("Bad rows", "不備のある行"),
    "batch_gone": ("This table's results are no longer kept (the workbench keeps the last few in memory): upload it again.",
                   "この一括審査の結果はもう保持されていない（直近の数件のみメモリに保持）。再度アップロードすること。"),
    "compare_button": ("Compare", "比較する"),
    # cases
    "cases_title": ("Case library", "事例ライブラリ"),
    "cases_intro": ("Historical screening cases. Foreign cases are replayed as if the target were a Japanese company in the same business.",
                    "過去の審査事例。外国の事例は、同じ事業を営む日本企業が対象であったものとして再現する。"),
    "rules": ("Rules", "適用ルール"),
    "rules_decision-date": ("law on each case's decision date", "各事例の決定日の法令"),
    "rules_today": ("today's law", "現行法令"),
    "rules_amended": ("today's law with the 2026 amendment", "2026年改正後の法令"),
    "replay": ("Replay", "再現する"),
    "replay_title": ("Replay", "再現結果"),
    "auc": ("ROC AUC (overall score, at-risk vs cleared)", "ROC AUC（総合点、リスクあり対クリア）"),
    "accuracy": ("Accuracy of the predicted class", "予測区分の正解率"),
    "rated": ("Rated cases", "評価対象の事例"),
    "confusion": ("Confusion matrix (rows: actual, columns: predicted)", "混同行列（行：実際、列：予測）"),
    "misses": ("Misses", "不一致"),
    "plots": ("Plots", "グラフ"),
    "library": ("Library", "ライブラリ"),
    "cases_count": ("cases", "件"),
    "n_at_risk": ("at risk", "リスクあり"),
    "n_cleared": ("cleared", "クリア"),
}


def t(key: str, lang: PageLang) -> str:
    """The label in the page's language."""
    en, ja = L[key]
    return ja if lang == "ja" else en


# values of the deal model's enumerations, shown in selects
ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "entity_kind": {
        "corporation": ("Corporation", "法人"),
        "individual": ("Individual", "個人"),
        "partnership": ("Partnership / fund", "組合・ファンド"),
        "government": ("Government", "外国政府"),
        "state_owned_enterprise": ("State-owned enterprise", "国有企業"),
        "sovereign_wealth_fund": ("Sovereign wealth fund", "政府系ファンド"),
        "public_pension": ("Public pension fund", "公的年金基金"),
        "financial_institution": ("Financial institution", "金融機関"),
    },
    "tx_kind": {
        "share_acquisition": ("Share acquisition", "株式・議決権の取得"),
        "loan": ("Loan", "金銭の貸付け"),
        "indirect_acquisition": ("Indirect acquisition (overseas holding entity)", "間接取得（外国の保有事業体の取得）"),
        "consent_only": ("Consent only (e.g. to a director appointment)", "同意のみ（役員選任への同意等）"),
        "branch_establishment": ("Branch establishment", "支店等の設置"),
    },
    "arrangement": {"for_account": ("for the principal's account", "相手方の計算"), "contract": ("under a contract or similar", "契約その他の取決め")},
    "investment_plan": {"": ("unknown", "不明"), "passive": ("passive (portfolio)", "純投資"), "strategic": ("strategic", "戦略的投資"),
                        "control": ("control", "経営支配")},
    "acquired_from": {
        "unknown": ("unknown", "不明"),
        "market": ("the market", "市場"),
        "resident": ("a resident", "居住者"),
        "foreign_investor": ("a foreign investor", "外国投資家"),
        "new_issue": ("a new issue", "新規発行"),
    },
    "status": {"yes": ("yes", "該当"), "no": ("no", "非該当"), "indeterminate": ("indeterminate", "未確定")},
    # values in the case-library and replay tables, by column
    "filing": {
        "not_foreign_investor": ("not a foreign investor", "外国投資家に非該当"), "prior_notification": ("prior notification", "事前届出"),
        "indeterminate": ("indeterminate", "未確定"), "exempt_with_conditions": ("exempt on conditions", "条件付き免除"),
        "post_investment_report": ("post-investment report", "事後報告"), "no_filing": ("no filing", "届出不要"),
    },
    "agreement": {"True": ("yes", "一致"), "False": ("no", "不一致")},
}
ENUMS["actual_outcome"] = {k: (v.en, v.ja) for k, v in OUTCOME_NAMES.items()}
ENUMS["tier"] = {k: (v.en, v.ja) for k, v in TIER_TEXT.items()}
ENUMS["predicted"] = {k: (v.en, v.ja) for k, v in OUTCOME_TEXT.items()}
ENUMS["actual_class"] = ENUMS["predicted"]
ENUMS["outcome"] = ENUMS["actual_outcome"]
ENUMS["target_class"] = {"non_designated": ("non-designated", "指定業種以外"), "designated": ("designated", "指定業種"), "core": ("core", "コア業種"),
                         "": ("unsettled", "未確定")}
ENUMS["foreign_investor"] = ENUMS["prior_notification"] = ENUMS["status"]


# columns of the case-library and replay tables
COLUMNS: dict[str, tuple[str, str]] = {
    "case": ("case", "事例"), "title": ("title", "件名"), "date": ("date", "決定日"), "jurisdiction": ("jurisdiction", "審査国"),
    "outcome": ("outcome", "結果"), "actual_outcome": ("actual outcome", "実際の結果"), "actual_class": ("actual class", "実際の区分"),
    "acquirer": ("acquirer", "取得者"), "acquirer_country": ("acquirer country", "取得者の国"), "target": ("target", "対象会社"),
    "stake_after_pct": ("stake after %", "取得後持株%"), "confidence": ("confidence", "確度"), "filing": ("filing", "届出判断"),
    "leakage": ("leakage", "流出"), "control": ("control", "支配"), "supply": ("supply", "供給"), "overall": ("overall", "総合"),
    "tier": ("tier", "区分"), "predicted": ("predicted", "予測"), "agreement": ("agreement", "一致"),
    "top_findings": ("top findings", "主な所見"),
    # the batch table
    "row": ("row", "行"), "message": ("message", "内容"), "matter": ("matter", "案件"), "foreign_investor": ("foreign investor", "外国投資家"),
    "target_class": ("target class", "業種区分"), "prior_notification": ("prior notification", "事前届出"),
    "best_mitigation": ("best next measure", "次に有効な措置"), "overall_after_best_mitigation": ("overall after it", "措置後の総合"),
    "facts_to_confirm": ("facts to confirm (columns)", "要確認事項（列）"), "waiting_days": ("waiting days", "待機日数"),
}


def column_label(name: str, lang: PageLang) -> str:
    pair = COLUMNS.get(name)
    if pair is None:
        return name
    return pair[1] if lang == "ja" else pair[0]


def enum_label(group: str, value: str, lang: PageLang) -> str:
    pair = ENUMS.get(group, {}).get(value)
    if pair is None:
        return value
    return pair[1] if lang == "ja" else pair[0]
