/** English function words that never make a keyword (a compact list in the spirit of the common IR lists). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above across after afterwards again against all almost alone along already also although always am among
  amongst an and another any anyhow anyone anything anyway anywhere are aren't around as at back be became because
  become becomes becoming been before beforehand behind being below beside besides between beyond both but by can
  cannot can't could couldn't did didn't do does doesn't doing don't done down due during each eg e.g either else
  elsewhere enough etc even ever every everyone everything everywhere except few first for former formerly from
  further get gets getting give given go goes going got had hadn't has hasn't have haven't having he he'd he'll
  hence her here hereafter hereby herein hers herself him himself his how however i i'd i'll i'm i've ie i.e if in
  indeed instead into is isn't it it's its itself just keep last latter least less let let's like made make many
  may me meanwhile might mine more moreover most mostly much must mustn't my myself namely neither never
  nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
  others otherwise our ours ourselves out over own per perhaps please put quite rather re really same see seem
  seemed seeming seems several she she'd she'll she's should shouldn't since so some somehow someone something
  sometime sometimes somewhere still such than that that's the their theirs them themselves then thence there
  there's thereafter thereby therefore therein thereupon these they they'd they'll they're they've this those though
  through throughout thru thus to together too toward towards under until up upon us use used using very via was
  wasn't we we'd we'll we're we've well were weren't what what's whatever when whence whenever where where's
  whereafter whereas whereby wherein whereupon wherever whether which while whither who who's whoever whole whom
  whose why will with within without won't would wouldn't yet you you'd you'll you're you've your yours yourself
  yourselves`.split(/\s+/).filter((w) => w !== ''),
);
