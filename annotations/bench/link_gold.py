"""Hand-judged gold topics for measuring suggested links on the three seed articles.

Each topic names one passage a reader would annotate (the query) and every passage in the
*other* two seed articles that a researcher would want suggested as a link to it. The seeds
are the three articles on the Syria-Iran-Russia relationship ("Assad's Tehran Visit Signals
Iran's Victory in Syria", "An Alliance for Mutual Security" and "The Military & Security
Cooperation between Iran and Russia in the Syrian Crisis with the Approach of Realism").

How it was made: by reading every compared paragraph of the three articles (from the
paragraph listing of the seeds), before the output of either suggestion method (TF-IDF or
the sentence-embedding model) had been seen; neither method was run to build it. Topics were
kept only if their subject appears in at least two articles, and every article is the query
article of at least three topics.

How relevance was judged: for each topic every compared paragraph of the two other articles
was read, and a passage counts as relevant only if it makes or discusses the same specific
claim, event or subject as the query (e.g. Russia's 2015 intervention, Israeli strikes on
Iran's positions in Syria), not merely because it mentions Syria, Iran or Russia. A passage
that only names the subject in passing inside a paragraph about something else was left
out. Headings, references, boilerplate and reader comments are never used. Positions are the
paragraphs' positions as imported; the comment after each relevant passage quotes a few of
its words so that reviewers can check the judgement.
"""

from dataclasses import dataclass

TEHRAN = "assads-tehran-visit-signals-irans-victory-in-syria"
ALLIANCE = "an-alliance-for-mutual-security"
REALISM = "the-military-security-cooperation-between-iran-and-russia-in-the-syrian-crisis"


@dataclass(frozen=True, slots=True)
class PassageRef:
    article: str  # the article's slug
    position: int  # the paragraph's position


@dataclass(frozen=True, slots=True)
class GoldTopic:
    name: str  # the specific subject, e.g. "Russia's 2015 military intervention in Syria"
    query: PassageRef  # the passage one would annotate
    relevant: tuple[PassageRef, ...]  # passages in the OTHER two articles on the same subject


GOLD_TOPICS: tuple[GoldTopic, ...] = (
    # --- Queries from "Assad's Tehran Visit Signals Iran's Victory in Syria" ---
    GoldTopic(
        name="US-backed regime-change war against Assad",
        query=PassageRef(TEHRAN, 11),  # "Washington's gamble banked on ... quick regime change"
        relevant=(
            PassageRef(ALLIANCE, 4),  # "aided by the West, Israel, Turkey and the Gulf States"
            PassageRef(REALISM, 3),  # "West's failure ... precondition of Bashar al-Assad's"
            PassageRef(REALISM, 30),  # "The West's goal in toppling the Assad government"
            PassageRef(REALISM, 41),  # "Saudi Arabia ... employed its efforts to overthrow"
            PassageRef(REALISM, 49),  # "guiding and equipping terrorist groups under the pretext"
        ),
    ),
    GoldTopic(
        name="Iranian forces and allied militias in Syria and Iraq",
        query=PassageRef(TEHRAN, 12),  # "the presence of its forces – including militias"
        relevant=(
            PassageRef(ALLIANCE, 4),  # "its proxies Hezbollah and the Iraqi Shiite militias"
            PassageRef(REALISM, 41),  # "Forming and training militias such as the National"
            PassageRef(REALISM, 57),  # "through its Quds Force ... most importantly, manpower"
        ),
    ),
    GoldTopic(
        name="Israeli strikes against Iran's presence in Syria",
        query=PassageRef(TEHRAN, 20),  # "despite repeated Israeli airstrikes on Syrian territory"
        relevant=(
            PassageRef(ALLIANCE, 4),  # "anti-aircraft defenses to guard against inevitable Israeli"
            PassageRef(REALISM, 6),  # "the Israeli regime's attacks on Iran's positions in Syria"
            PassageRef(REALISM, 41),  # "Tel Aviv officials have repeatedly warned ... base"
        ),
    ),
    GoldTopic(
        name="US troop presence in Syria and calls to end it",
        query=PassageRef(TEHRAN, 4),  # "vacillating between a full withdrawal from Syria"
        relevant=(
            PassageRef(ALLIANCE, 1),  # "call for an end to the American military presence in Syria"
        ),
    ),
    GoldTopic(
        name="The war drew Syria, Iran and Russia closer together",
        query=PassageRef(TEHRAN, 3),  # "has only drawn these regional powers closer together"
        relevant=(
            PassageRef(ALLIANCE, 1),  # "further solidification of the military, intelligence"
            PassageRef(REALISM, 28),  # "Iran and Russia to experience unprecedented cooperation"
            PassageRef(REALISM, 29),  # "for the first time, placed Iran and Russia operationally"
            PassageRef(REALISM, 56),  # "prompted Iran and Russia for the first time to engage"
        ),
    ),
    # --- Queries from "An Alliance for Mutual Security" ---
    GoldTopic(
        name="Russian air power and Iranian ground forces",
        query=PassageRef(ALLIANCE, 4),  # "they do not have the air power to conduct strikes"
        relevant=(
            PassageRef(TEHRAN, 19),  # "resistance forces ... coupled with Russia's significant"
            PassageRef(REALISM, 29),  # "Iran has tried not to become Russia's ground forces"
            PassageRef(REALISM, 57),  # "Russia provided air support to operationalize Iran's"
        ),
    ),
    GoldTopic(
        name="Rival blocs: Iran-led axis vs Israel, US and Gulf states",
        query=PassageRef(ALLIANCE, 3),  # "The two great power groupings in the Middle East"
        relevant=(
            PassageRef(REALISM, 38),  # "shape regional equations in favor of Saudi Arabia"
            PassageRef(REALISM, 39),  # "boost Saudi Arabia's defense power against Iran's"
            PassageRef(REALISM, 40),  # "Iran's regional rivals ... Turkey and Saudi Arabia"
            PassageRef(REALISM, 41),  # "to contain Shia Iran"
        ),
    ),
    GoldTopic(
        name="Iran's fear of US regime change and forward defence",
        query=PassageRef(ALLIANCE, 5),  # "keep the front line ... as far away from their borders"
        relevant=(
            PassageRef(TEHRAN, 12),  # "ahead of US-backed regime change efforts aimed directly"
            PassageRef(TEHRAN, 13),  # "revolved around self-defense"
            PassageRef(TEHRAN, 15),  # "takes very seriously the threat of invasion"
            PassageRef(TEHRAN, 20),  # "positions well beyond Iran’s own borders"
            PassageRef(REALISM, 31),  # "Syria is the frontline against the expansionism"
            PassageRef(REALISM, 41),  # "the front line of Iran's struggle with America"
        ),
    ),
    GoldTopic(
        name="Alliances formed against common threats (realist logic)",
        query=PassageRef(ALLIANCE, 6),  # "alliances are created in order to redress a perceived"
        relevant=(
            PassageRef(REALISM, 7),  # "a common enemy of Iran and Russia ... strategic alliance"
            PassageRef(REALISM, 32),  # "Moscow and Tehran face common threats"
            PassageRef(REALISM, 33),  # "as long as this common interest persists, the coalition"
            PassageRef(REALISM, 60),  # "shared interests among states ... lead to the formation"
        ),
    ),
    # --- Queries from "The Military & Security Cooperation between Iran and Russia" ---
    GoldTopic(
        name="Russia's 2015 military intervention in Syria",
        query=PassageRef(REALISM, 44),  # "Russia initiated airstrikes ... September 30, 2015"
        relevant=(
            PassageRef(TEHRAN, 11),  # "the eventual Russian military intervention in 2015"
            PassageRef(TEHRAN, 19),  # "Russia's role in Syria preventing a more muscular"
            PassageRef(ALLIANCE, 4),  # "had the Russians not come to the defense of President"
        ),
    ),
    GoldTopic(
        name="Iran's support decisive for Assad's survival",
        query=PassageRef(REALISM, 37),  # "Iran's support for Syria so far has enabled Bashar"
        relevant=(
            PassageRef(TEHRAN, 10),  # "Iran's role in helping Syria prevail over US aggression"
            PassageRef(TEHRAN, 11),  # "the scale and efficacy of the commitment made by Tehran"
            PassageRef(TEHRAN, 18),  # "These militias would end up playing a significant role"
            PassageRef(TEHRAN, 19),  # "left little chance for success for US-sponsored militants"
            PassageRef(ALLIANCE, 4),  # "the role that Iran did play ... did limit successfully"
            PassageRef(ALLIANCE, 6),  # "Russia, Iraq, Iran and Hezbollah all came to Syria’s"
        ),
    ),
    GoldTopic(
        name="Terrorism and ISIS as a shared threat binding the allies",
        query=PassageRef(REALISM, 59),  # "shared security threats such as extremism and terrorism"
        relevant=(
            PassageRef(TEHRAN, 10),  # "to confront US and Persian Gulf-backed terrorists"
            PassageRef(ALLIANCE, 1),  # "reaffirm their alliance against Daesh and all Salafi"
        ),
    ),
    GoldTopic(
        name="Iran and Russia against US global hegemony",
        query=PassageRef(REALISM, 60),  # "the United States claims hegemonic leadership"
        relevant=(
            PassageRef(TEHRAN, 22),  # "its 20th century unipolar hegemonic ambitions"
            PassageRef(TEHRAN, 23),  # "rolling back American hegemony in the Middle East"
        ),
    ),
)
