"""The articles of the site fixtures (tests/fixtures/web/pages/sites/): original text, written
for these tests, on the sample corpus's story (the 2023 actors' strike and AI). Each is what a
reader should get from its page: title, author, date and the body's blocks in order (a block
starting ``## `` is a subheading). tests/web_sites.py wraps each in one site's markup."""

from __future__ import annotations

STORIES: list[dict[str, object]] = [
    {
        "title": "Hollywood actors join writers on the picket line",
        "author": "Amira Okonjo",
        "date": "2023-07-14",
        "blocks": [
            "Tens of thousands of film and television actors stopped work at midnight, joining "
            "screenwriters who have been on strike since May.",
            "It is the first time both groups have walked out together since 1960, when a "
            "young Ronald Reagan led the actors’ union.",
            "Pay from streaming services and the use of artificial intelligence are at the "
            "heart of the dispute.",
            "## What do the actors want?",
            "The union says studios want to scan background performers, pay them for one day "
            "and use their likeness for ever. The studios call that description inaccurate.",
            "Production of most American series has now stopped, and film premieres in London "
            "and New York have lost their casts.",
        ],
    },
    {
        "title": "The extras who fear their faces will outlive their careers",
        "author": "Harriet Ngata-Lowe",
        "date": "2023-07-21",
        "blocks": [
            "Mereana Tapsell has spent nineteen years standing in the background of other "
            "people’s scenes, and she has never once been asked to sign away her face.",
            "That changed last spring, when a production asked her to step into a ring of "
            "cameras between lunch and the afternoon call.",
            "“They told me it was for continuity,” she says. “Nobody said for how long.”",
            "Union officials say such scans have become routine on large productions, and that "
            "few extras know what happens to the files once the shoot is over.",
            "For Tapsell, the strike is about a simple question: whether the person in the "
            "scan has any say in where it goes next.",
        ],
    },
    {
        "title": "As Strike Drags On, Studios Quietly Expand A.I. Teams",
        "author": "Desmond Ashcroft",
        "date": "2023-07-29",
        "blocks": [
            "While actors marched outside their gates, several of the largest studios were "
            "posting jobs for machine learning engineers and product managers.",
            "The listings, some offering salaries above half a million dollars, describe work "
            "on tools to generate images, voices and visual effects.",
            "Studio executives say the roles have nothing to do with replacing performers. "
            "Union leaders are not persuaded.",
            "## A widening gap",
            "The contrast has become a rallying point on picket lines, where signs compare the "
            "salaries with the earnings of a typical working actor.",
            "Most members of the union earn less than the amount needed to qualify for its "
            "health plan, according to the union’s own figures.",
        ],
    },
    {
        "title": "Background actors say body scans were a condition of work",
        "author": "Lorenzo Vieira",
        "date": "2023-07-18",
        "blocks": [
            "LOS ANGELES (CPS) — Several background actors said they were told to submit to "
            "full-body scans or lose a day’s booking, a practice the studios deny is "
            "widespread.",
            "Three performers described being directed to a trailer where dozens of cameras "
            "captured them from every angle in a few seconds.",
            "None said they were told how the images would be stored or whether they could "
            "ask for them to be deleted.",
            "The Alliance of Motion Picture and Television Producers said its proposal would "
            "require consent and payment for any digital replica used in a film.",
            "The union said the proposal left too much room for reuse without pay.",
        ],
    },
    {
        "title": "Netflix lists AI role paying up to $900,000 amid actors' strike",
        "author": "Dorota Kaminski-Hale",
        "date": "2023-07-26",
        "blocks": [
            "Netflix advertised a machine learning product manager position with annual pay of "
            "up to $900,000, a listing that drew criticism from striking performers.",
            "The role would oversee the company’s machine learning platform, the listing said, "
            "and work with teams across the business.",
            "Netflix did not respond to a request for comment.",
            "The Screen Actors Guild has said fewer than one in eight of its members earn "
            "enough from acting to qualify for health coverage.",
        ],
    },
    {
        "title": "Why I Crossed Out the Scanning Clause in My Contract",
        "author": "Tomasz Wierzbicki",
        "date": "2023-08-03",
        "blocks": [
            "Last month I did something I had never done in twelve years of set work: I took a "
            "pen to a contract and struck out a paragraph.",
            "The paragraph granted the production the right to “capture, store and use” my "
            "likeness in any media now known or later invented.",
            "The assistant director looked at me for a long moment and then said it was fine. "
            "I still do not know whether it was.",
            "## What I would tell other extras",
            "Read the paperwork before you are in the chair. Ask who keeps the files. Ask "
            "whether you can see them. Write down the answers.",
        ],
    },
    {
        "title": "The Replica Economy",
        "author": "Naomi Achterberg",
        "date": "2023-08-09",
        "blocks": [
            "Every strike has a number at its centre, and this one has two: the price of a day "
            "on set, and the price of a face that never has to come back.",
            "In this issue I want to look at the second number, which nobody has yet put in a "
            "contract.",
            "A replica costs a studio a few hours of scanning and some storage. What it saves "
            "is harder to count, because it is every future day the actor is not called.",
            "That is why the union keeps asking for payment that follows the replica, not the "
            "shoot.",
            "Next week: what the voice actors in games already learned about this.",
        ],
    },
    {
        "title": "I Watched Myself Being Generated",
        "author": "Keanu Halvorsen",
        "date": "2023-08-12",
        "blocks": [
            "A friend who works in visual effects sent me a clip last week. It was me, walking "
            "down a corridor I have never walked down.",
            "The clip was a test, built from a scan taken on a show I worked on two years ago. "
            "Nobody had asked me.",
            "I am not angry at my friend, who thought I would find it funny. I am angry that "
            "it was so easy.",
            "The technology is not the problem. The problem is that the paperwork was written "
            "for a world in which it did not exist.",
        ],
    },
    {
        "title": "Burbank diner feels the strike as studio lunches disappear",
        "author": "Guadalupe Ferreyra",
        "date": "2023-08-01",
        "blocks": [
            "For thirty years the Magnolia Grill has fed crews from the studios a few blocks "
            "away. Since July, the catering orders have stopped.",
            "Owner Reza Tabrizi says takings are down by almost half, and he has cut two "
            "waiters’ shifts.",
            "“The actors are right to strike,” he said. “I just hope it does not take until "
            "Christmas.”",
            "The city’s economic development office says it is tracking losses at businesses "
            "that depend on production.",
        ],
    },
    {
        "title": "Vendors Weigh Consent Tools as Studios Rethink Digital Doubles",
        "author": "Priyanka Raman",
        "date": "2023-08-15",
        "blocks": [
            "Companies that build scanning rigs for film and television say clients are asking "
            "for a new feature: a record of what each performer agreed to.",
            "Two vendors told us they are adding consent logs that travel with each scan, "
            "listing the projects it may be used on and when it must be deleted.",
            "## A market waiting for a contract",
            "Whether studios adopt such tools may depend on the final wording of the actors’ "
            "agreement, which vendors are watching closely.",
            "One executive said the industry would rather build the tools now than be told "
            "later how to do it.",
        ],
    },
    {
        "title": "Actors' strike: What AI has to do with it",
        "author": "Oliver Darcy-Nwosu",
        "date": "2023-07-15",
        "blocks": [
            "Hollywood’s actors are on strike, and artificial intelligence is one of the main "
            "reasons why.",
            "The union wants rules on when a studio can create a digital copy of a performer, "
            "and what it must pay when it does.",
            "Studios say they have offered protections. The union says those protections "
            "still allow a background actor to be scanned once and reused indefinitely.",
            "The last joint strike of writers and actors lasted six weeks.",
        ],
    },
    {
        "title": "The fight over who owns an actor's face",
        "author": "Helena Szabo",
        "date": "2023-07-30",
        "blocks": [
            "When the studios and the actors’ union sat down this spring, both sides expected "
            "to argue about money. Few expected to argue about faces.",
            "Yet the question of digital replicas has become one of the hardest to settle, "
            "according to people familiar with the talks.",
            "The studios want the right to use replicas they have paid for. The union wants "
            "consent and payment each time a replica is used.",
            "Legal scholars say existing law gives performers only patchy protection, varying "
            "from state to state.",
        ],
    },
    {
        "title": "For striking actors, health insurance is on the line",
        "author": "Marcus Oyelaran",
        "date": "2023-08-05",
        "blocks": [
            "The actors’ union health plan covers members who earn at least $26,470 a year "
            "from acting. Many do not reach that line even in a good year.",
            "With production stopped, more will fall short, and some are already planning how "
            "to pay for their own coverage.",
            "Relief funds have opened emergency grants, but performers say the applications "
            "take weeks.",
            "“Every day without work is a day that does not count,” one actor said.",
        ],
    },
    {
        "title": "Hollywood strike puts spotlight on AI and workers' rights",
        "author": "Farida Haidari",
        "date": "2023-07-20",
        "blocks": [
            "The strike by Hollywood actors has become a test case for how workers in many "
            "industries might bargain over artificial intelligence.",
            "Labour researchers say the demands on consent and payment could serve as a model "
            "for voice artists, translators and illustrators.",
            "Studios argue that new technology has always changed how films are made, and "
            "that rules written now may soon be out of date.",
            "The two sides have not met since the strike began.",
        ],
    },
    {
        "title": "Notes on the Scan Tent",
        "author": "Ingrid Mahlangu",
        "date": "2023-08-07",
        "blocks": [
            "The scan tent is always the quietest place on a set. Nobody jokes in there.",
            "You stand on a mark, raise your arms, turn slowly. A voice says thank you. That "
            "is all.",
            "I used to think the silence was concentration. Now I think it is something else: "
            "a room where nobody wants to ask the obvious question.",
            "So here it is. Where does this go, and who decides?",
        ],
    },
    {
        "title": "Picket Diary, Week Three",
        "author": "Bartholomew Quist",
        "date": "2023-08-04",
        "blocks": [
            "Week three on the line at the north gate. The heat broke on Wednesday, which helped.",
            "A studio security guard brought us water on Thursday and asked us not to tell "
            "anyone. I am telling you, but not who.",
            "The talk on the line this week was mostly about the scans. Everyone has a story, "
            "and nobody’s story ends with them knowing where the files went.",
            "More next week, if there is a next week.",
        ],
    },
    {
        "title": "The Actor Who Is Never Tired",
        "author": "Cassius Delacroix-Mbeki",
        "date": "2023-08-20",
        "blocks": [
            "A replica does not need lunch, or a trailer, or a second take. It does not age, "
            "and it does not go on strike.",
            "That is what makes it valuable to a studio, and it is also what makes it "
            "frightening to the people it copies.",
            "## An old fight in a new form",
            "Performers have argued about reuse since the first films were sold to "
            "television. The replica is the same argument with the limits taken away.",
            "What the actors are asking for, in the end, is a limit.",
        ],
    },
    {
        "title": "The AI fight at the center of the actors' strike, explained",
        "author": "Rosalind Achebe",
        "date": "2023-07-17",
        "blocks": [
            "If you have been following the actors’ strike, you have heard a lot about "
            "“digital replicas.” Here is what that means.",
            "A replica is a computer model of a performer, built from scans, that can be made "
            "to appear in scenes the actor never filmed.",
            "The union wants a performer’s informed consent before a replica is made, and "
            "payment whenever it is used.",
            "The studios say they agree with consent in principle. The fight is over the details.",
        ],
    },
    {
        "title": "Studios Hire AI Specialists During Strike, Listings Show",
        "author": "Winston Abernathy-Ruiz",
        "date": "2023-07-27",
        "blocks": [
            "Job listings posted by several major entertainment companies during the strike "
            "seek specialists in generative artificial intelligence.",
            "The postings include roles in games, animation and streaming technology, with "
            "salaries ranging well into six figures.",
            "A spokesperson for one studio said the roles were planned long before the strike.",
            "The timing has nonetheless angered members of the union, who say it shows where "
            "the industry’s priorities lie.",
        ],
    },
    {
        "title": "Guild Foundation Opens Emergency Fund for Performers Affected by Strike",
        "author": "Press Office",
        "date": "2023-07-19",
        "blocks": [
            "The Performers’ Relief Foundation today announced an emergency fund for actors "
            "and background performers who have lost work because of the strike.",
            "Grants of up to $1,000 will be available to members in good standing who can "
            "show a loss of income since July 14.",
            "Applications will be reviewed in the order they are received, and the foundation "
            "expects to respond within ten working days.",
            "The fund is supported by donations from performers and the public.",
        ],
    },
    {
        "title": "Digital doubles: what your contract may already say",
        "author": "Siobhán Ní Bhriain",
        "date": "2023-08-10",
        "blocks": [
            "Many performers have already signed contracts that mention digital likenesses, "
            "often without noticing.",
            "The phrases to look for include “in any media now known or hereafter devised” "
            "and “simulation of the performer’s likeness.”",
            "Lawyers say such clauses can be read very broadly, and that performers should ask "
            "for them to be limited to the production at hand.",
            "If a clause is unclear, ask for it in writing before the shoot.",
        ],
    },
    {
        "title": "What a Union Contract Can and Cannot Say About Replicas",
        "author": "Adaeze Lindqvist",
        "date": "2023-08-18",
        "blocks": [
            "A collective agreement can set a floor for consent and pay, but it cannot reach "
            "every use of a performer’s image.",
            "Work made outside the union’s jurisdiction, or by companies that never signed the "
            "agreement, falls beyond it.",
            "## The limits of bargaining",
            "That is why some performers are also pressing for state laws on digital likeness, "
            "which would apply whoever made the replica.",
            "Both routes are slow, and neither has yet been tested in court.",
        ],
    },
    {
        "title": "Lawmakers Circulate Draft Bill on Digital Likeness",
        "author": "Teodoro Gulbrandsen",
        "date": "2023-08-22",
        "blocks": [
            "A draft bill circulating among state legislators would require written consent "
            "before anyone creates a digital copy of a living performer.",
            "The draft, seen by this newsletter, would also let performers revoke consent for "
            "future uses.",
            "Studio lobbyists have asked for exemptions for news, parody and historical work.",
            "The bill’s sponsors hope to introduce it before the end of the session.",
        ],
    },
    {
        "title": "A Costume Designer on the Strike's Ripple Effects",
        "author": "Yusra Papadakis",
        "date": "2023-08-24",
        "blocks": [
            "When the cameras stop, so do the fittings, the fabric orders and the alterations "
            "that keep a costume department busy.",
            "I have not cut a pattern for a production since the middle of July.",
            "I support the actors. I also have rent, and so does everyone who sews for me.",
            "What I want people to understand is how far down the line a strike reaches.",
        ],
    },
    {
        "title": "Researchers Map How Audiences Read Synthetic Performances",
        "author": "Kwabena Ostrowski",
        "date": "2023-08-28",
        "blocks": [
            "A team of media researchers asked 400 viewers to watch short scenes, some with "
            "real actors and some with digital replicas.",
            "Most viewers could not reliably tell the two apart, but they rated the replica "
            "scenes as less trustworthy when told afterwards.",
            "The researchers say disclosure changes how a performance is received, even when "
            "the performance itself looks the same.",
            "They plan a larger study with longer scenes next year.",
        ],
    },
]
