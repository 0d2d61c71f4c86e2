"""The JEL classification: codes, names and the tree (`O31` under `O3` under `O`).

Shared by the importer (codes it creates get their names), the data migrations that load the
tree, the synthetic catalogue and the JEL pages. The table holds the letters, every
two-character category and a selection of the three-character codes (abridged official
names); `jel_name` also names the `...0` ("General") and `...9` ("Other") codes, which the
classification names the same way in every category. The synthetic catalogue classifies items
under the three-character codes of this table, in its order: add codes at the end.
"""

from typing import Any

#: JEL classification: the letters, the two-character categories and a selection of the
#: three-character codes, with their (abridged) official names.
JEL_NAMES = {
    "A": "General Economics and Teaching",
    "B": "History of Economic Thought, Methodology, and Heterodox Approaches",
    "C": "Mathematical and Quantitative Methods",
    "D": "Microeconomics",
    "E": "Macroeconomics and Monetary Economics",
    "F": "International Economics",
    "G": "Financial Economics",
    "H": "Public Economics",
    "I": "Health, Education, and Welfare",
    "J": "Labor and Demographic Economics",
    "K": "Law and Economics",
    "L": "Industrial Organization",
    "M": "Business Administration and Business Economics; Marketing; Accounting; Personnel Economics",
    "N": "Economic History",
    "O": "Economic Development, Innovation, Technological Change, and Growth",
    "P": "Political Economy and Comparative Economic Systems",
    "Q": "Agricultural and Natural Resource Economics; Environmental and Ecological Economics",
    "R": "Urban, Rural, Regional, Real Estate, and Transportation Economics",
    "Y": "Miscellaneous Categories",
    "Z": "Other Special Topics",
    "A1": "General Economics", "A2": "Economic Education and Teaching of Economics",
    "B2": "History of Economic Thought since 1925", "B4": "Economic Methodology",
    "C1": "Econometric and Statistical Methods and Methodology: General",
    "C2": "Single Equation Models; Single Variables",
    "C3": "Multiple or Simultaneous Equation Models; Multiple Variables", "C5": "Econometric Modeling",
    "C6": "Mathematical Methods; Programming Models; Mathematical and Simulation Modeling",
    "C7": "Game Theory and Bargaining Theory", "C8": "Data Collection and Data Estimation Methodology",
    "C9": "Design of Experiments", "D1": "Household Behavior and Family Economics",
    "D2": "Production and Organizations", "D3": "Distribution", "D4": "Market Structure, Pricing, and Design",
    "D6": "Welfare Economics", "D7": "Analysis of Collective Decision-Making",
    "D8": "Information, Knowledge, and Uncertainty", "D9": "Micro-Based Behavioral Economics",
    "E2": "Consumption, Saving, Production, Investment, Labor Markets, and Informal Economy",
    "E3": "Prices, Business Fluctuations, and Cycles", "E4": "Money and Interest Rates",
    "E5": "Monetary Policy, Central Banking, and the Supply of Money and Credit",
    "E6": "Macroeconomic Policy, Macroeconomic Aspects of Public Finance, and General Outlook",
    "F1": "Trade", "F2": "International Factor Movements and International Business",
    "F3": "International Finance", "F4": "Macroeconomic Aspects of International Trade and Finance",
    "G0": "General", "G1": "General Financial Markets", "G2": "Financial Institutions and Services",
    "G3": "Corporate Finance and Governance", "G4": "Behavioral Finance",
    "H2": "Taxation, Subsidies, and Revenue", "H4": "Publicly Provided Goods",
    "H5": "National Government Expenditures and Related Policies", "H6": "National Budget, Deficit, and Debt",
    "H7": "State and Local Government; Intergovernmental Relations", "I1": "Health",
    "I2": "Education and Research Institutions", "I3": "Welfare, Well-Being, and Poverty",
    "J1": "Demographic Economics", "J2": "Demand and Supply of Labor",
    "J3": "Wages, Compensation, and Labor Costs", "J4": "Particular Labor Markets",
    "J5": "Labor-Management Relations, Trade Unions, and Collective Bargaining",
    "J6": "Mobility, Unemployment, Vacancies, and Immigrant Workers", "J7": "Labor Discrimination",
    "K2": "Regulation and Business Law", "K4": "Legal Procedure, the Legal System, and Illegal Behavior",
    "L1": "Market Structure, Firm Strategy, and Market Performance",
    "L2": "Firm Objectives, Organization, and Behavior", "L5": "Regulation and Industrial Policy",
    "L9": "Industry Studies: Transportation and Utilities", "M1": "Business Administration",
    "M2": "Business Economics", "M4": "Accounting and Auditing", "M5": "Personnel Economics",
    "N1": "Macroeconomics and Monetary Economics; Industrial Structure; Growth; Fluctuations",
    "N3": "Labor and Consumers, Demography, Education, Health, Welfare, Income, Wealth",
    "O1": "Economic Development",
    "O3": "Innovation; Research and Development; Technological Change; Intellectual Property Rights",
    "O4": "Economic Growth and Aggregate Productivity", "O5": "Economywide Country Studies",
    "P1": "Capitalist Systems", "P2": "Socialist and Transition Economies", "Q1": "Agriculture",
    "Q2": "Renewable Resources and Conservation", "Q4": "Energy", "Q5": "Environmental Economics",
    "R1": "General Regional Economics",
    "R3": "Real Estate Markets, Spatial Production Analysis, and Firm Location",
    "R2": "Household Analysis", "R4": "Transportation Economics", "R5": "Regional Government Analysis",
    "Y1": "Data: Tables and Charts",
    "Z1": "Cultural Economics; Economic Sociology; Economic Anthropology",
    # the other two-character categories (their "...0 General" codes are named by jel_name)
    "A3": "Collective Works", "B1": "History of Economic Thought through 1925",
    "B3": "History of Economic Thought: Individuals", "B5": "Current Heterodox Approaches",
    "C4": "Econometric and Statistical Methods: Special Topics", "D5": "General Equilibrium and Disequilibrium",
    "E1": "General Aggregative Models", "E7": "Macro-Based Behavioral Economics",
    "F5": "International Relations, National Security, and International Political Economy",
    "F6": "Economic Impacts of Globalization", "G5": "Household Finance",
    "H1": "Structure and Scope of Government", "H3": "Fiscal Policies and Behavior of Economic Agents",
    "H8": "Miscellaneous Issues", "J8": "Labor Standards", "K1": "Basic Areas of Law",
    "K3": "Other Substantive Areas of Law", "L3": "Nonprofit Organizations and Public Enterprise",
    "L4": "Antitrust Issues and Policies", "L6": "Industry Studies: Manufacturing",
    "L7": "Industry Studies: Primary Products and Construction", "L8": "Industry Studies: Services",
    "M3": "Marketing and Advertising", "N2": "Financial Markets and Institutions",
    "N4": "Government, War, Law, International Relations, and Regulation",
    "N5": "Agriculture, Natural Resources, Environment, and Extractive Industries",
    "N6": "Manufacturing and Construction", "N7": "Transport, Trade, Energy, Technology, and Other Services",
    "N8": "Micro-Business History", "N9": "Regional and Urban History", "O2": "Development Planning and Policy",
    "P3": "Socialist Institutions and Their Transitions", "P4": "Other Economic Systems",
    "P5": "Comparative Economic Systems", "Q3": "Nonrenewable Resources and Conservation",
    "Y2": "Introductory Material", "Y3": "Book Reviews (unclassified)", "Y4": "Dissertations (unclassified)",
    "Y5": "Further Reading (unclassified)", "Y6": "Excerpts", "Y7": "No Author General Discussions",
    "Y8": "Related Disciplines", "Y9": "Other", "Z2": "Sports Economics", "Z3": "Tourism Economics",
    "A10": "General", "B41": "Economic Methodology", "C11": "Bayesian Analysis: General",
    "C12": "Hypothesis Testing: General", "C14": "Semiparametric and Nonparametric Methods: General",
    "C21": "Cross-Sectional Models; Spatial Models; Treatment Effect Models; Quantile Regressions",
    "C22": "Time-Series Models; Dynamic Quantile Regressions", "C23": "Panel Data Models; Spatio-temporal Models",
    "C25": "Discrete Regression and Qualitative Choice Models", "C32": "Time-Series Models",
    "C53": "Forecasting and Prediction Methods; Simulation Methods",
    "C61": "Optimization Techniques; Programming Models; Dynamic Analysis",
    "C63": "Computational Techniques; Simulation Modeling", "C68": "Computable General Equilibrium Models",
    "C72": "Noncooperative Games", "C78": "Bargaining Theory; Matching Theory", "C87": "Econometric Software",
    "C91": "Laboratory, Individual Behavior", "C93": "Field Experiments",
    "D12": "Consumer Economics: Empirical Analysis", "D13": "Household Production and Intrahousehold Allocation",
    "D22": "Firm Behavior: Empirical Analysis", "D24": "Production; Cost; Capital; Total Factor Productivity",
    "D31": "Personal Income, Wealth, and Their Distributions",
    "D43": "Oligopoly and Other Forms of Market Imperfection", "D44": "Auctions",
    "D63": "Equity, Justice, Inequality, and Other Normative Criteria and Measurement",
    "D72": "Political Processes: Rent-seeking, Lobbying, Elections, Legislatures, and Voting Behavior",
    "D81": "Criteria for Decision-Making under Risk and Uncertainty",
    "D82": "Asymmetric and Private Information; Mechanism Design",
    "D83": "Search; Learning; Information and Knowledge; Communication; Belief",
    "D91": "Role and Effects of Psychological, Emotional, Social, and Cognitive Factors on Decision Making",
    "E21": "Consumption; Saving; Wealth", "E22": "Investment; Capital; Intangible Capital; Capacity",
    "E24": "Employment; Unemployment; Wages", "E31": "Price Level; Inflation; Deflation",
    "E32": "Business Fluctuations; Cycles", "E43": "Interest Rates: Determination, Term Structure, and Effects",
    "E44": "Financial Markets and the Macroeconomy", "E52": "Monetary Policy",
    "E58": "Central Banks and Their Policies", "E62": "Fiscal Policy",
    "F13": "Trade Policy; International Trade Organizations", "F14": "Empirical Studies of Trade",
    "F21": "International Investment; Long-Term Capital Movements", "F22": "International Migration",
    "F23": "Multinational Firms; International Business", "F31": "Foreign Exchange",
    "F32": "Current Account Adjustment; Short-Term Capital Movements",
    "F34": "International Lending and Debt Problems", "F41": "Open Economy Macroeconomics",
    "F43": "Economic Growth of Open Economies", "G01": "Financial Crises",
    "G11": "Portfolio Choice; Investment Decisions", "G12": "Asset Pricing; Trading Volume; Bond Interest Rates",
    "G14": "Information and Market Efficiency; Event Studies; Insider Trading",
    "G21": "Banks; Depository Institutions; Micro Finance Institutions; Mortgages",
    "G28": "Government Policy and Regulation", "G32": "Financing Policy; Financial Risk and Risk Management",
    "G34": "Mergers; Acquisitions; Restructuring; Corporate Governance",
    "G41": "Role and Effects of Psychological Factors on Decision Making in Financial Markets",
    "H21": "Efficiency; Optimal Taxation",
    "H23": "Externalities; Redistributive Effects; Environmental Taxes and Subsidies",
    "H24": "Personal Income and Other Nonbusiness Taxes and Subsidies", "H25": "Business Taxes and Subsidies",
    "H26": "Tax Evasion and Avoidance", "H41": "Public Goods", "H51": "Government Expenditures and Health",
    "H52": "Government Expenditures and Education", "H53": "Government Expenditures and Welfare Programs",
    "H63": "Debt; Debt Management; Sovereign Debt", "H77": "Intergovernmental Relations; Federalism; Secession",
    "I12": "Health Behavior", "I14": "Health and Inequality", "I18": "Government Policy; Regulation; Public Health",
    "I21": "Analysis of Education", "I23": "Higher Education; Research Institutions",
    "I24": "Education and Inequality", "I26": "Returns to Education", "I28": "Government Policy",
    "I31": "General Welfare, Well-Being", "I32": "Measurement and Analysis of Poverty",
    "I38": "Government Policy; Provision and Effects of Welfare Programs",
    "J11": "Demographic Trends, Macroeconomic Effects, and Forecasts",
    "J12": "Marriage; Marital Dissolution; Family Structure", "J13": "Fertility; Family Planning; Child Care",
    "J16": "Economics of Gender; Non-labor Discrimination", "J21": "Labor Force and Employment, Size, and Structure",
    "J22": "Time Allocation and Labor Supply", "J23": "Labor Demand",
    "J24": "Human Capital; Skills; Occupational Choice; Labor Productivity", "J26": "Retirement; Retirement Policies",
    "J31": "Wage Level and Structure; Wage Differentials", "J41": "Labor Contracts",
    "J51": "Trade Unions: Objectives, Structure, and Effects", "J61": "Geographic Labor Mobility; Immigrant Workers",
    "J62": "Job, Occupational, and Intergenerational Mobility", "J63": "Turnover; Vacancies; Layoffs",
    "J64": "Unemployment: Models, Duration, Incidence, and Job Search",
    "J65": "Unemployment Insurance; Severance Pay; Plant Closings", "J68": "Public Policy", "J71": "Discrimination",
    "K21": "Antitrust Law", "K42": "Illegal Behavior and the Enforcement of Law",
    "L11": "Production, Pricing, and Market Structure; Size Distribution of Firms",
    "L13": "Oligopoly and Other Imperfect Markets", "L25": "Firm Performance: Size, Diversification, and Scope",
    "L26": "Entrepreneurship", "L51": "Economics of Regulation", "L52": "Industrial Policy; Sectoral Planning Methods",
    "L94": "Electric Utilities", "M12": "Personnel Management; Executives; Executive Compensation",
    "M21": "Business Economics", "M41": "Accounting", "M52": "Compensation and Compensation Methods and Their Effects",
    "N14": "Europe: 1913-", "N33": "Europe: Pre-1913",
    "O11": "Macroeconomic Analyses of Economic Development",
    "O13": "Agriculture; Natural Resources; Energy; Environment; Other Primary Products",
    "O15": "Human Resources; Human Development; Income Distribution; Migration",
    "O16": "Financial Markets; Saving and Capital Investment; Corporate Finance and Governance",
    "O18": "Urban, Rural, Regional, and Transportation Analysis; Housing; Infrastructure",
    "O31": "Innovation and Invention: Processes and Incentives",
    "O32": "Management of Technological Innovation and R&D",
    "O33": "Technological Change: Choices and Consequences; Diffusion Processes",
    "O34": "Intellectual Property and Intellectual Capital", "O38": "Government Policy",
    "O41": "One, Two, and Multisector Growth Models",
    "O47": "Empirical Studies of Economic Growth; Aggregate Productivity; Cross-Country Output Convergence",
    "O52": "Europe", "O53": "Asia including Middle East", "O55": "Africa", "P16": "Political Economy",
    "P26": "Political Economy", "Q11": "Aggregate Supply and Demand Analysis; Prices",
    "Q12": "Micro Analysis of Farm Firms, Farm Households, and Farm Input Markets",
    "Q18": "Agricultural Policy; Food Policy", "Q41": "Demand and Supply; Prices", "Q42": "Alternative Energy Sources",
    "Q48": "Government Policy", "Q51": "Valuation of Environmental Effects",
    "Q52": "Pollution Control Adoption and Costs; Distributional Effects; Employment Effects",
    "Q53": "Air Pollution; Water Pollution; Noise; Hazardous Waste; Solid Waste; Recycling",
    "Q54": "Climate; Natural Disasters and Their Management; Global Warming",
    "Q56": "Environment and Development; Environment and Trade; Sustainability", "Q58": "Government Policy",
    "R11": "Regional Economic Activity: Growth, Development, Environmental Issues, and Changes",
    "R12": "Size and Spatial Distributions of Regional Economic Activity",
    "R23": "Regional Migration; Regional Labor Markets; Population; Neighborhood Characteristics",
    "R31": "Housing Supply and Markets", "R41": "Transportation: Demand, Supply, and Congestion",
    "R58": "Regional Development Planning and Policy", "Y10": "Data: Tables and Charts",
    "Z11": "Economics of the Arts and Literature", "Z13": "Economic Sociology; Economic Anthropology",
}  # fmt: skip


def parent_code(code: str) -> str | None:
    """`O31` -> `O3`, `O3` -> `O`, `O` -> None."""
    return code[:-1] if len(code) > 1 else None


def ancestors(code: str) -> list[str]:
    """The codes above `code`, from the top: `O31` -> [`O`, `O3`]."""
    return [code[:n] for n in range(1, len(code))]


def jel_name(code: str) -> str:
    """The name of a JEL code, or "" when the table does not know it."""
    code = code.upper()
    if code in JEL_NAMES:
        return JEL_NAMES[code]
    if len(code) >= 2 and code[-1] == "0":
        return "General"
    if len(code) == 3 and code[-1] == "9":
        return "Other"
    return ""


def load_jel_tree(jel_code_model: Any) -> None:  # the model, or a migration's historical one
    """Create the codes of the table that are missing (parents first) and name every unnamed code.

    Takes the model so that migrations can pass their historical one; run again (from a new
    migration) whenever the table grows.
    """
    existing = set(jel_code_model.objects.values_list("code", flat=True))
    jel_code_model.objects.bulk_create(
        [
            jel_code_model(code=code, parent_id=parent_code(code), name=name)
            for code, name in sorted(JEL_NAMES.items(), key=lambda kv: (len(kv[0]), kv[0]))
            if code not in existing
        ]
    )
    unnamed = list(jel_code_model.objects.filter(name=""))
    for code in unnamed:
        code.name = jel_name(code.code)
    jel_code_model.objects.bulk_update([c for c in unnamed if c.name], ["name"], batch_size=500)
