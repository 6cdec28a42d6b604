namespace Smpc.Analytics.Synthetic;

/// <summary>
/// Name tables. Weights are rough relative frequencies in the U.S. (surnames after the 2010 Census surname
/// counts in thousands; given names after Social Security card-application counts over several generations),
/// plus accented spellings, nicknames and keyboard neighbours for the identifier-noise model.
/// </summary>
internal static class Names
{
    public static readonly Weighted<string> Male = Weighted<string>.Parse(
        "James:3.3,Robert:3.1,John:3.0,Michael:2.9,David:2.4,William:2.3,Richard:1.6,Joseph:1.5,Thomas:1.4,Christopher:1.2," +
        "Charles:1.2,Daniel:1.2,Matthew:1.0,Anthony:0.9,Mark:0.9,Donald:0.8,Steven:0.8,Paul:0.7,Andrew:0.7,Joshua:0.7," +
        "Kenneth:0.7,Kevin:0.7,Brian:0.7,George:0.7,Timothy:0.6,Ronald:0.6,Edward:0.6,Jason:0.6,Jeffrey:0.6,Ryan:0.5," +
        "Jacob:0.5,Gary:0.5,Nicholas:0.5,Eric:0.5,Jonathan:0.5,Stephen:0.5,Larry:0.4,Justin:0.4,Scott:0.4,Brandon:0.4," +
        "Benjamin:0.4,Samuel:0.4,Gregory:0.4,Alexander:0.4,Frank:0.4,Patrick:0.4,Raymond:0.4,Jack:0.3,Dennis:0.3,Jerry:0.3," +
        "Tyler:0.3,Aaron:0.3,Jose:0.3,Adam:0.3,Nathan:0.3,Henry:0.3,Douglas:0.3,Zachary:0.3,Peter:0.3,Kyle:0.3," +
        "Walter:0.3,Ethan:0.3,Jeremy:0.3,Harold:0.3,Keith:0.2,Christian:0.2,Roger:0.2,Noah:0.2,Gerald:0.2,Carl:0.2," +
        "Terry:0.2,Sean:0.2,Austin:0.2,Arthur:0.2,Lawrence:0.2,Jesse:0.2,Dylan:0.2,Bryan:0.2,Jordan:0.2,Bruce:0.2," +
        "Albert:0.2,Willie:0.2,Gabriel:0.2,Alan:0.2,Juan:0.2,Wayne:0.2,Roy:0.2,Ralph:0.2,Eugene:0.2,Vincent:0.2," +
        "Russell:0.2,Louis:0.2,Philip:0.2,Luis:0.2,Carlos:0.2,Jesus:0.15,Raul:0.08,Andres:0.06,Rene:0.05,Andre:0.08," +
        "Jamal:0.08,Darnell:0.08,Mohammed:0.08,Wei:0.05,Hiroshi:0.03,Duc:0.04");

    public static readonly Weighted<string> Female = Weighted<string>.Parse(
        "Mary:2.6,Patricia:1.6,Jennifer:1.5,Linda:1.5,Elizabeth:1.4,Barbara:1.3,Susan:1.1,Jessica:1.0,Sarah:1.0,Karen:1.0," +
        "Lisa:0.9,Nancy:0.9,Betty:0.8,Margaret:0.8,Sandra:0.8,Ashley:0.8,Kimberly:0.8,Emily:0.7,Donna:0.7,Michelle:0.7," +
        "Carol:0.7,Amanda:0.7,Dorothy:0.7,Melissa:0.6,Deborah:0.6,Stephanie:0.6,Rebecca:0.6,Sharon:0.6,Laura:0.6,Cynthia:0.6," +
        "Kathleen:0.5,Amy:0.5,Angela:0.5,Shirley:0.5,Anna:0.5,Brenda:0.5,Pamela:0.5,Emma:0.5,Nicole:0.5,Helen:0.5," +
        "Samantha:0.4,Katherine:0.4,Christine:0.4,Debra:0.4,Rachel:0.4,Carolyn:0.4,Janet:0.4,Catherine:0.4,Maria:0.5,Heather:0.4," +
        "Diane:0.4,Ruth:0.4,Julie:0.4,Olivia:0.4,Joyce:0.3,Virginia:0.3,Victoria:0.3,Kelly:0.3,Lauren:0.3,Christina:0.3," +
        "Joan:0.3,Evelyn:0.3,Judith:0.3,Megan:0.3,Andrea:0.3,Cheryl:0.3,Hannah:0.3,Jacqueline:0.3,Martha:0.3,Gloria:0.3," +
        "Teresa:0.3,Ann:0.3,Sara:0.3,Madison:0.3,Frances:0.3,Kathryn:0.3,Janice:0.3,Jean:0.3,Abigail:0.3,Alice:0.3," +
        "Judy:0.2,Sophia:0.2,Grace:0.2,Denise:0.2,Amber:0.2,Doris:0.2,Marilyn:0.2,Danielle:0.2,Beverly:0.2,Isabella:0.2," +
        "Theresa:0.2,Diana:0.2,Natalie:0.2,Brittany:0.2,Charlotte:0.2,Marie:0.2,Kayla:0.2,Alexis:0.2,Sofia:0.06,Lucia:0.05," +
        "Ines:0.03,Renee:0.06,Zoe:0.04,Chloe:0.03,Aaliyah:0.08,Keisha:0.06,Mei:0.04,Priya:0.05,Fatima:0.05");

    public static readonly Weighted<string> Surname = Weighted<string>.Parse(
        "Smith:2442,Johnson:1932,Williams:1625,Brown:1437,Jones:1425,Garcia:1166,Miller:1161,Davis:1116,Rodriguez:1094,Martinez:1060," +
        "Hernandez:1043,Lopez:874,Gonzalez:841,Wilson:801,Anderson:784,Thomas:756,Taylor:751,Moore:724,Jackson:708,Martin:702," +
        "Lee:693,Perez:681,Thompson:664,White:660,Harris:624,Sanchez:612,Clark:562,Ramirez:557,Lewis:531,Robinson:529," +
        "Walker:523,Young:484,Allen:482,King:465,Wright:458,Scott:439,Torres:437,Nguyen:437,Hill:434,Flores:433," +
        "Green:430,Adams:427,Nelson:424,Baker:419,Hall:407,Rivera:405,Campbell:371,Mitchell:367,Carter:363,Roberts:358," +
        "Gomez:344,Phillips:340,Evans:342,Turner:335,Diaz:335,Parker:329,Cruz:323,Edwards:322,Collins:318,Reyes:313," +
        "Stewart:312,Morris:303,Morales:303,Murphy:300,Cook:294,Rogers:294,Gutierrez:293,Ortiz:287,Morgan:286,Cooper:284," +
        "Peterson:283,Bailey:279,Reed:277,Kelly:269,Howard:264,Ramos:264,Kim:264,Cox:261,Ward:261,Richardson:259," +
        "Watson:252,Brooks:251,Chavez:250,Wood:250,James:250,Bennett:247,Gray:247,Mendoza:242,Ruiz:239,Hughes:236," +
        "Price:235,Alvarez:233,Castillo:230,Sanders:230,Patel:230,Myers:229,Long:229,Ross:227,Foster:227,Jimenez:224," +
        "Powell:220,Jenkins:219,Perry:217,Russell:215,Sullivan:215,Bell:213,Coleman:213,Butler:212,Henderson:211,Barnes:211," +
        "Gonzales:210,Fisher:209,Vasquez:208,Simmons:205,Romero:205,Jordan:204,Patterson:204,Alexander:203,Hamilton:201,Graham:200," +
        "Reynolds:199,Griffin:199,Wallace:199,Moreno:198,West:198,Cole:198,Hayes:197,Bryant:196,Herrera:195,Gibson:195," +
        "Ellis:195,Tran:194,Medina:194,Aguilar:194,Stevens:193,Murray:192,Ford:191,Castro:190,Marshall:190,Owens:189," +
        "Harrison:189,Fernandez:188,McDonald:187,Woods:186,Washington:186,Kennedy:186,Wells:184,Vargas:182,Henry:182,Chen:181," +
        "Freeman:180,Webb:180,Tucker:180,Guzman:180,Burns:179,Crawford:178,Olson:178,Simpson:176,Porter:176,Hunter:175," +
        "Gordon:175,Mendez:174,Silva:174,Shaw:172,Snyder:171,Mason:171,Dixon:171,Munoz:170,Hunt:170,Hicks:169," +
        "Holmes:169,Palmer:168,Wagner:167,Black:166,Robertson:166,Boyd:165,Rose:165,Stone:164,Salazar:164,Fox:163," +
        "Warren:163,Mills:163,Meyer:162,Rice:161,Schmidt:160,Garza:159,Daniels:159,Ferguson:158,Nichols:157,Stephens:157," +
        "Soto:157,Weaver:156,Ryan:156,Gardner:156,Payne:156,Grant:155,Dunn:155,Kelley:154,Spencer:154,Hawkins:154," +
        "Arnold:153,Pierce:153,Vazquez:153,Hansen:153,Peters:152,Santos:152,Hart:151,Bradley:151,Knight:151,Elliott:150," +
        "Le:150,Pham:120,Wong:110,Nunez:120,O'Brien:100,McCarthy:90,O'Connor:80,O'Neill:70,De La Cruz:40,Van Dyke:25," +
        "Kowalski:30,Ibanez:30,D'Angelo:20,Muller:20,Yamamoto:20,Nowak:20");

    /// <summary>Accented spellings some people use for their own name (the plain form stays more common overall).</summary>
    public static readonly IReadOnlyDictionary<string, string> Accented = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Jose"] = "José", ["Maria"] = "María", ["Jesus"] = "Jesús", ["Raul"] = "Raúl", ["Andres"] = "Andrés",
        ["Rene"] = "René", ["Andre"] = "André", ["Sofia"] = "Sofía", ["Lucia"] = "Lucía", ["Ines"] = "Inés",
        ["Renee"] = "Renée", ["Zoe"] = "Zoë", ["Chloe"] = "Chloé",
        ["Garcia"] = "García", ["Rodriguez"] = "Rodríguez", ["Martinez"] = "Martínez", ["Hernandez"] = "Hernández",
        ["Lopez"] = "López", ["Gonzalez"] = "González", ["Perez"] = "Pérez", ["Sanchez"] = "Sánchez",
        ["Ramirez"] = "Ramírez", ["Gomez"] = "Gómez", ["Diaz"] = "Díaz", ["Gutierrez"] = "Gutiérrez",
        ["Alvarez"] = "Álvarez", ["Jimenez"] = "Jiménez", ["Vasquez"] = "Vásquez", ["Fernandez"] = "Fernández",
        ["Munoz"] = "Muñoz", ["Mendez"] = "Méndez", ["Vazquez"] = "Vázquez", ["Nunez"] = "Núñez",
        ["Ibanez"] = "Ibáñez", ["Muller"] = "Müller", ["Chavez"] = "Chávez",
    };

    /// <summary>Nicknames people give instead of their legal given name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Nickname = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["William"] = "Bill", ["Robert"] = "Bob", ["Richard"] = "Rick", ["James"] = "Jim", ["Michael"] = "Mike",
        ["Thomas"] = "Tom", ["Joseph"] = "Joe", ["Christopher"] = "Chris", ["Daniel"] = "Dan", ["Matthew"] = "Matt",
        ["Anthony"] = "Tony", ["Steven"] = "Steve", ["Edward"] = "Ed", ["Charles"] = "Chuck", ["Andrew"] = "Andy",
        ["Jonathan"] = "Jon", ["Benjamin"] = "Ben", ["Samuel"] = "Sam", ["Alexander"] = "Alex", ["Nicholas"] = "Nick",
        ["Kenneth"] = "Ken", ["Timothy"] = "Tim", ["Ronald"] = "Ron", ["Donald"] = "Don", ["Gregory"] = "Greg",
        ["Lawrence"] = "Larry", ["Raymond"] = "Ray", ["Gerald"] = "Jerry", ["Douglas"] = "Doug", ["Zachary"] = "Zach",
        ["Elizabeth"] = "Liz", ["Katherine"] = "Kate", ["Jennifer"] = "Jen", ["Margaret"] = "Peggy", ["Patricia"] = "Pat",
        ["Deborah"] = "Debbie", ["Susan"] = "Sue", ["Kimberly"] = "Kim", ["Rebecca"] = "Becky", ["Christine"] = "Chris",
        ["Victoria"] = "Vicky", ["Jacqueline"] = "Jackie", ["Samantha"] = "Sam", ["Kathleen"] = "Kathy", ["Cynthia"] = "Cindy",
        ["Pamela"] = "Pam", ["Abigail"] = "Abby", ["Judith"] = "Judy", ["Dorothy"] = "Dot", ["Stephanie"] = "Steph",
    };

    public const string Suffixes = "JR:60,SR:15,II:5,III:15,IV:5";

    /// <summary>Removes diacritics from the Latin letters these tables use (explicit, so no culture data is needed).</summary>
    public static string StripDiacritics(string s)
    {
        const string from = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ";
        const string to   = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy";
        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        bool changed = false;
        for (int i = 0; i < s.Length; i++)
        {
            int k = from.IndexOf(s[i]);
            buffer[i] = k < 0 ? s[i] : to[k];
            changed |= k >= 0;
        }
        return changed ? new string(buffer) : s;
    }

    /// <summary>Neighbouring keys on a QWERTY keyboard, for substitution typos.</summary>
    public static string KeyNeighbours(char c) => char.ToLowerInvariant(c) switch
    {
        'q' => "wa", 'w' => "qes", 'e' => "wrd", 'r' => "etf", 't' => "ryg", 'y' => "tuh", 'u' => "yij", 'i' => "uok",
        'o' => "ipl", 'p' => "ol", 'a' => "qsz", 's' => "adwx", 'd' => "sfe", 'f' => "dgr", 'g' => "fht", 'h' => "gjy",
        'j' => "hku", 'k' => "jli", 'l' => "ko", 'z' => "xa", 'x' => "zcs", 'c' => "xvd", 'v' => "cbf", 'b' => "vng",
        'n' => "bmh", 'm' => "nj", _ => "",
    };
}
